package dev.twofold.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.ConfigProblems;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    JWTParser parser;

    @Inject
    TestClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void aTokenIsVerifiedOnceAndThenServedFromMemory() throws ParseException {
        String token = Tokens.mailServer();

        JsonWebToken first = parser.parse(token);

        assertSame(first, parser.parse(token));
        assertNotSame(first, parser.parse(Tokens.mailServer()), "another token is verified on its own");
    }

    @Test
    void aRememberedTokenWithAlteredBytesIsStillRefused() throws ParseException {
        String account = Accounts.fresh();
        String token = Tokens.owner(account);
        parser.parse(token);

        assertThrows(ParseException.class, () -> parser.parse(Tokens.tampered(account, Accounts.fresh())));
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String flipped = (signature.charAt(0) == 'A' ? 'B' : 'A') + signature.substring(1);
        assertThrows(
                ParseException.class, () -> parser.parse(token.substring(0, token.lastIndexOf('.') + 1) + flipped));
    }

    /**
     * Remembered until {@code exp} or {@code max-age} (60 s here), whichever comes first. {@code exp} has
     * whole seconds, so it may lie up to a second before issue time + lifetime. Past the limit by the
     * application's clock but still valid by real time, the token verifies again, as a new object.
     */
    @ParameterizedTest(name = "{0} token, limit {3}")
    @CsvSource({
        "PT30S, 28, 3, its exp",
        "PT15M, 59, 2, twofold.token-cache.max-age",
    })
    void aTokenIsVerifiedAgainOnceItsExpiryOrTheMaximumAgeHasPassed(
            Duration lifetime, long remembered, long later, String limit) throws ParseException {
        String token = Tokens.mailServerExpiringIn(lifetime);
        JsonWebToken first = parser.parse(token);
        clock.fix(TestClock.serviceNow());

        clock.advance(Duration.ofSeconds(remembered));
        assertSame(first, parser.parse(token), "remembered within " + limit);

        clock.advance(Duration.ofSeconds(later));
        JsonWebToken again = parser.parse(token);
        assertNotSame(first, again, "verified again once " + limit + " has passed");
        assertEquals(first.getTokenID(), again.getTokenID());
    }

    @Test
    void refusedTokensStayRefused() {
        String expired = Tokens.expired(Accounts.fresh());

        assertThrows(ParseException.class, () -> parser.parse(expired));
        assertThrows(ParseException.class, () -> parser.parse(expired));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "twofold.token-cache.max-age, -1S",
        "twofold.token-cache.max-entries, -1",
    })
    void negativeCacheLimitsStopTheBoot(String property, String value) {
        ConfigProblems.assertRefusedByName(TokenCacheConfig.class, property, value);
    }
}
