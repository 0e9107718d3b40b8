package dev.twofold.mailauth;

import static dev.twofold.testing.Passcodes.decide;
import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Forms;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 7662 introspection of app passcodes, as Dovecot's oauth2 passdb asks for it. */
@QuarkusTest
class IntrospectionTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    /** The test profile registers client "dovecot" with this throwaway secret (by its SHA-256). */
    private static final String DOVECOT_SECRET = "test-introspection-secret-0123456789abcdef";

    @Inject
    TestClock clock;

    @Inject
    Argon2Hasher argon2;

    @Inject
    MailLoginCache cache;

    private final String account = Accounts.fresh();

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void activePasscodeIsDescribedToAMailServer() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(now);
        Instant expiry = now.plus(Duration.ofDays(30));
        Passcodes.Created passcode = Passcodes.create(
                account, Map.of("name", "Mutt", "protocols", List.of("smtp", "imap"), "expiresAt", expiry.toString()));
        asMailServer("token", passcode.passcode(), "protocol", "imap")
                .body("active", equalTo(true))
                .body("username", equalTo(account))
                .body("sub", equalTo(account))
                .body("client_id", equalTo("imap-01.mail.test"))
                .body("token_type", equalTo("Bearer"))
                .body("scope", equalTo("imap smtp"))
                .body("iat", equalTo((int) now.getEpochSecond()))
                .body("exp", equalTo((int) expiry.getEpochSecond()));
    }

    @Test
    void registeredClientMayIntrospect() {
        Passcodes.Created passcode = Passcodes.create(account, "Dovecot");
        asClient("dovecot", DOVECOT_SECRET, passcode.passcode().replace(" ", ""))
                .statusCode(200)
                .body("active", equalTo(true))
                .body("username", equalTo(account))
                .body("client_id", equalTo("dovecot"))
                .body("$", not(hasKey("scope")))
                .body("$", not(hasKey("exp")));
    }

    @Test
    void protocolLimitedPasscodeIsActiveOnlyForANamedProtocolItAllows() {
        Passcodes.Created smtpOnly = Passcodes.create(account, "Mailer", List.of("smtp"), List.of());
        String token = smtpOnly.passcode();
        asMailServer(token).body("active", equalTo(false));
        asMailServer("token", token, "protocol", "imap").body("active", equalTo(false));
        asMailServer("token", token, "protocol", "smtp")
                .body("active", equalTo(true))
                .body("scope", equalTo("smtp"));
        asDovecot("imap", "token", token).body("active", equalTo(false));
        asDovecot("lmtp", "token", token).body("active", equalTo(false));
        asDovecot("submission", "token", token).body("active", equalTo(true));
        asDovecot("imap", "token", token, "protocol", "smtp").body("active", equalTo(true));
        decide(account, token, "imap", null).body("reason", equalTo("protocol-not-allowed"));
    }

    @Test
    void passcodeForAllProtocolsIsActiveWithOrWithoutAProtocol() {
        Passcodes.Created passcode = Passcodes.create(account, "Everything");
        asMailServer("token", passcode.passcode(), "protocol", "pop3").body("active", equalTo(true));
        asDovecot("doveadm", "token", passcode.passcode()).body("active", equalTo(true));
    }

    @Test
    void unknownProtocolIsRefused() {
        assertProblem(
                Api.hostile(Tokens.mailServer())
                        .contentType(FORM)
                        .body(Forms.encode("token", "abcd efgh ijkl mnop", "protocol", "gopher"))
                        .post("/v1/mail-auth/introspect")
                        .then(),
                400,
                "malformed-request");
    }

    @Test
    void repeatedIntrospectionIsAnsweredWithoutArgon2() {
        CacheSync.await(cache);
        Passcodes.Created passcode = Passcodes.create(account, "Dovecot");
        long before = argon2.evaluations();
        for (int i = 0; i < 5; i++) {
            asMailServer(passcode.passcode()).body("active", equalTo(true));
        }
        assertEquals(1, argon2.evaluations() - before);
    }

    @Test
    void unknownTokenIsInactiveAndNothingElse() {
        ValidatableResponse response = asMailServer("abcd efgh ijkl mnop").body("active", equalTo(false));
        assertEquals(1, response.extract().jsonPath().getMap("$").size());
        asMailServer("the primary password").body("active", equalTo(false));
    }

    @Test
    void revokedPasscodeIsInactive() {
        Passcodes.Created passcode = Passcodes.create(account, "Old");
        asMailServer(passcode.passcode()).body("active", equalTo(true));
        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/app-passcodes/{pid}", account, passcode.id())
                .then()
                .statusCode(204);
        asMailServer(passcode.passcode()).body("active", equalTo(false));
    }

    @Test
    void expiredPasscodeIsInactive() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(now);
        Passcodes.Created passcode = Passcodes.create(
                account,
                Map.of(
                        "name",
                        "Short",
                        "expiresAt",
                        now.plus(Duration.ofMinutes(1)).toString()));
        clock.fix(now.plus(Duration.ofMinutes(1)));
        asMailServer(passcode.passcode()).body("active", equalTo(false));
    }

    @Test
    void passcodeLimitedToNetworksIsInactiveAsTheClientIpIsUnknown() {
        Passcodes.Created passcode = Passcodes.create(account, "Office", List.of(), List.of("198.51.100.0/24"));
        asMailServer(passcode.passcode()).body("active", equalTo(false));
        decide(account, passcode.passcode(), "imap", "198.51.100.1").body("decision", equalTo("accept"));
    }

    @Test
    void wrongClientSecretIsRefused() {
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        assertProblem(asClient("dovecot", DOVECOT_SECRET + "x", passcode.passcode()), 401, "authentication-required");
        assertProblem(asClient("postfix", DOVECOT_SECRET, passcode.passcode()), 401, "authentication-required");
        assertProblem(
                Api.anonymous()
                        .contentType(FORM)
                        .body(Forms.encode("token", passcode.passcode()))
                        .post("/v1/mail-auth/introspect")
                        .then(),
                401,
                "authentication-required");
    }

    @Test
    void ownerTokenMayNotIntrospect() {
        assertProblem(
                Api.as(Tokens.owner(account))
                        .contentType(FORM)
                        .body(Forms.encode("token", "abcd"))
                        .post("/v1/mail-auth/introspect")
                        .then(),
                403,
                "forbidden");
    }

    @Test
    void invalidBearerTokenIsRefused() {
        assertProblem(
                Api.hostile(Tokens.expired(account))
                        .contentType(FORM)
                        .body(Forms.encode("token", "abcd"))
                        .post("/v1/mail-auth/introspect")
                        .then(),
                401,
                "authentication-required");
    }

    @Test
    void missingTokenIsRefused() {
        assertProblem(
                Api.hostile(Tokens.mailServer())
                        .contentType(FORM)
                        .body(Forms.encode("token_type_hint", "x"))
                        .post("/v1/mail-auth/introspect")
                        .then(),
                400,
                "validation-failed");
    }

    private static ValidatableResponse asMailServer(String token) {
        return asMailServer("token", token);
    }

    private static ValidatableResponse asMailServer(String... form) {
        return Api.as(Tokens.mailServer())
                .contentType(FORM)
                .body(Forms.encode(form))
                .post("/v1/mail-auth/introspect")
                .then()
                .statusCode(200);
    }

    /** As Dovecot's oauth2 passdb with send_auth_headers = yes: the service in a header. */
    private static ValidatableResponse asDovecot(String service, String... form) {
        return Api.as(Tokens.mailServer())
                .contentType(FORM)
                .header("X-Dovecot-Auth-Service", service)
                .body(Forms.encode(form))
                .post("/v1/mail-auth/introspect")
                .then()
                .statusCode(200);
    }

    private static ValidatableResponse asClient(String clientId, String clientSecret, String token) {
        return Api.anonymous()
                .contentType(FORM)
                .body(Forms.encode("token", token, "client_id", clientId, "client_secret", clientSecret))
                .post("/v1/mail-auth/introspect")
                .then();
    }
}
