package dev.twofold.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.twofold.testing.Accounts;
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
        assertThrows(ParseException.class, () -> parser.parse(token.substring(0, token.lastIndexOf('.') + 1) + flipped));
    }

    @Test
    void aTokenIsNotRememberedPastItsExpiry() throws Exception {
        String token = Tokens.mailServerExpiringIn(Duration.ofSeconds(30));
        JsonWebToken first = parser.parse(token);
        clock.fix(TestClock.serviceNow());

        // exp has whole seconds, so it may lie up to a second before issue time + 30 s.
        clock.advance(Duration.ofSeconds(28));
        assertSame(first, parser.parse(token), "remembered until its exp");

        clock.advance(Duration.ofSeconds(3));
        // Past exp by the application's clock; by real time still valid, so it verifies again, as a new object.
        JsonWebToken again = parser.parse(token);
        assertNotSame(first, again);
        assertEquals(first.getTokenID(), again.getTokenID());
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheMaximumAge() throws Exception {
        String token = Tokens.mailServerExpiringIn(Duration.ofMinutes(15));
        JsonWebToken first = parser.parse(token);
        clock.fix(TestClock.serviceNow());

        clock.advance(Duration.ofSeconds(59));
        assertSame(first, parser.parse(token), "remembered within twofold.token-cache.max-age (60 s)");

        clock.advance(Duration.ofSeconds(2));
        assertNotSame(first, parser.parse(token), "verified again once max-age has passed");
    }

    @Test
    void refusedTokensStayRefused() {
        String expired = Tokens.expired(Accounts.fresh());

        assertThrows(ParseException.class, () -> parser.parse(expired));
        assertThrows(ParseException.class, () -> parser.parse(expired));
    }
}
