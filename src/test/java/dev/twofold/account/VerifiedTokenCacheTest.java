package dev.twofold.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.ConfigProblems;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    JWTParser parser;

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
        assertThrows(ParseException.class, () -> parser.parse(token.substring(0, token.lastIndexOf('.') + 1) + flipped));
    }

    @Test
    void aTokenIsNotRememberedPastItsExpiry() throws Exception {
        String token = Tokens.mailServerExpiringIn(Duration.ofSeconds(2));
        JsonWebToken first = parser.parse(token);
        assertSame(first, parser.parse(token));

        Thread.sleep(Duration.between(Instant.now(), Instant.ofEpochSecond(first.getExpirationTime())).toMillis() + 200);

        // Still within the verifier's clock-skew allowance, so it verifies again, as a new object.
        JsonWebToken again = parser.parse(token);
        assertNotSame(first, again);
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
