package dev.twofold.mailauth;

import static dev.twofold.testing.Passcodes.decide;
import static dev.twofold.testing.Passcodes.login;
import static dev.twofold.testing.Passcodes.verify;
import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Forms;
import dev.twofold.testing.FreshAccountTest;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every decision of POST /v1/mail-auth/verify, and the scopes a passcode can have. */
@QuarkusTest
class MailLoginTest extends FreshAccountTest {

    @Test
    void activePasscodeIsAccepted() {
        Passcodes.Created passcode = Passcodes.create(account, "Thunderbird");
        decide(account, passcode.passcode(), "imap", "198.51.100.23")
                .body("decision", equalTo("accept"))
                .body("credential.type", equalTo("app-passcode"))
                .body("credential.id", equalTo(passcode.id().toString()))
                .body("credential.name", equalTo("Thunderbird"))
                .body("reason", nullValue());
    }

    @Test
    void passcodeMayBeTypedWithoutSpacesInAnyCaseForAnAccountInAnyCase() {
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        String typed = passcode.passcode().replace(" ", "").toUpperCase(Locale.ROOT);
        decide(" " + account.toUpperCase(Locale.ROOT) + " ", typed, "pop3", null)
                .body("decision", equalTo("accept"));
    }

    @Test
    void formBodyIsDecidedLikeJson() {
        Passcodes.Created passcode = Passcodes.create(account, "Dovecot Lua");
        Api.as(Tokens.mailServer())
                .contentType("application/x-www-form-urlencoded")
                .body(Forms.encode(
                        "account",
                        account.toUpperCase(Locale.ROOT),
                        "secret",
                        passcode.passcode(),
                        "protocol",
                        "imap",
                        "clientIp",
                        "2001:db8::7",
                        "clientName",
                        "Dovecot"))
                .post("/v1/mail-auth/verify")
                .then()
                .statusCode(200)
                .body("decision", equalTo("accept"))
                .body("credential.name", equalTo("Dovecot Lua"));
        Api.as(Tokens.mailServer())
                .contentType("application/x-www-form-urlencoded")
                .body(Forms.encode("account", account, "secret", "not a passcode", "protocol", "smtp"))
                .post("/v1/mail-auth/verify")
                .then()
                .statusCode(200)
                .body("decision", equalTo("use-password"));
    }

    @Test
    void passwordOfAccountWithoutTwoFactorIsLeftToTheMailServer() {
        decide(account, "correct horse battery staple", "imap", null)
                .body("decision", equalTo("use-password"))
                .body("reason", nullValue())
                .body("credential", nullValue());
    }

    @Test
    void unknownPasscodeShapedSecretWithoutTwoFactorIsLeftToTheMailServer() {
        decide(account, "abcd efgh ijkl mnop", "imap", null).body("decision", equalTo("use-password"));
    }

    @Test
    void passwordOfAccountWithTwoFactorIsRejected() {
        Jdbc.enableTwoFactor(account);
        decide(account, "correct horse battery staple", "imap", null)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("two-factor-required"));
    }

    @Test
    void passcodeWorksWithTwoFactorOn() {
        Passcodes.Created passcode = Passcodes.create(account, "Tablet");
        Jdbc.enableTwoFactor(account);
        decide(account, passcode.passcode(), "imap", null).body("decision", equalTo("accept"));
    }

    @Test
    void twoFactorTurnedOnElsewhereIsEnforcedOnTheNextLogin() {
        decide(account, "primary password", "imap", null).body("decision", equalTo("use-password"));
        Jdbc.enableTwoFactor(account);
        decide(account, "primary password", "imap", null)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("two-factor-required"));
    }

    @Test
    void anotherAccountsPasscodeIsNoPasscodeOfThisAccount() {
        String other = Accounts.fresh();
        Passcodes.Created theirs = Passcodes.create(other, "Theirs");
        decide(other, theirs.passcode(), "imap", null).body("decision", equalTo("accept"));
        decide(account, theirs.passcode(), "imap", null).body("decision", equalTo("use-password"));
        Jdbc.enableTwoFactor(account);
        decide(account, theirs.passcode(), "imap", null).body("reason", equalTo("two-factor-required"));
    }

    @Test
    void revokedPasscodeIsRejectedAsRevoked() {
        Passcodes.Created passcode = Passcodes.create(account, "Laptop");
        decide(account, passcode.passcode(), "imap", null).body("decision", equalTo("accept"));
        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/app-passcodes/{pid}", account, passcode.id())
                .then()
                .statusCode(204);
        decide(account, passcode.passcode(), "imap", null)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("revoked"));
    }

    @Test
    void passcodeWhoseStoredHashWasAlteredIsAnUnknownSecret() {
        Passcodes.Created victim = Passcodes.create(account, "Victim");
        Passcodes.Created other = Passcodes.create(account, "Other");
        Jdbc.update(
                "update app_passcode set passcode_hash = (select passcode_hash from app_passcode where id = ?)"
                        + " where id = ?",
                other.id(),
                victim.id());
        decide(account, victim.passcode(), "imap", null)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("unknown-secret"));
    }

    @Test
    void protocolOutsideTheScopeIsRejected() {
        Passcodes.Created passcode = Passcodes.create(account, "Mailer", List.of("smtp"), List.of());
        decide(account, passcode.passcode(), "smtp", null).body("decision", equalTo("accept"));
        decide(account, passcode.passcode(), "imap", null)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("protocol-not-allowed"));
    }

    @Test
    void ipv4ClientOutsideAllowedNetworksIsRejected() {
        Passcodes.Created passcode = Passcodes.create(account, "Office", List.of(), List.of("198.51.100.0/24"));
        decide(account, passcode.passcode(), "imap", "198.51.100.77").body("decision", equalTo("accept"));
        decide(account, passcode.passcode(), "imap", "::ffff:198.51.100.78").body("decision", equalTo("accept"));
        decide(account, passcode.passcode(), "imap", "203.0.113.5")
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("ip-not-allowed"));
        decide(account, passcode.passcode(), "imap", null).body("reason", equalTo("ip-not-allowed"));
    }

    @Test
    void ipv6ClientOutsideAllowedNetworksIsRejected() {
        Passcodes.Created passcode = Passcodes.create(account, "Home", List.of(), List.of("2001:DB8:42::/48"));
        decide(account, passcode.passcode(), "imap", "2001:db8:42:7::1").body("decision", equalTo("accept"));
        decide(account, passcode.passcode(), "imap", "2001:db8:43::1").body("reason", equalTo("ip-not-allowed"));
        decide(account, passcode.passcode(), "imap", "198.51.100.1").body("reason", equalTo("ip-not-allowed"));
    }

    @Test
    void passcodePastItsExpiryIsRejectedAsExpired() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(now);
        Passcodes.Created passcode = Passcodes.create(
                account,
                Map.of(
                        "name",
                        "Temporary",
                        "expiresAt",
                        now.plus(Duration.ofHours(1)).toString()));
        decide(account, passcode.passcode(), "imap", null).body("decision", equalTo("accept"));
        clock.fix(now.plus(Duration.ofHours(1)));
        decide(account, passcode.passcode(), "imap", null)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("expired"));
    }

    @Test
    void passcodeUnusedForTooLongExpires() {
        // The test profile sets twofold.app-passcodes.unused-expiry=90D.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(now);
        Passcodes.Created used = Passcodes.create(account, "Used");
        Passcodes.Created neverUsed = Passcodes.create(account, "Never used");
        clock.fix(now.plus(Duration.ofDays(89)));
        decide(account, used.passcode(), "imap", null).body("decision", equalTo("accept"));
        clock.fix(now.plus(Duration.ofDays(90)));
        decide(account, neverUsed.passcode(), "imap", null).body("reason", equalTo("expired"));
        clock.fix(now.plus(Duration.ofDays(89 + 89)));
        decide(account, used.passcode(), "imap", null).body("decision", equalTo("accept"));
        clock.fix(now.plus(Duration.ofDays(89 + 89 + 90)));
        decide(account, used.passcode(), "imap", null).body("reason", equalTo("expired"));
    }

    @Test
    void clientIpThatIsNoAddressIsRefused() {
        // Matches the contract's character pattern, but is no address: never resolved as a name.
        assertProblem(verify(login(account, "abcd efgh ijkl mnop", "imap", "deadbeef")), 400, "validation-failed");
        assertProblem(verify(login(account, "abcd efgh ijkl mnop", "imap", "1.2.3.04")), 400, "validation-failed");
    }

    @Test
    void unknownProtocolIsRefused() {
        assertProblem(
                Api.hostile(Tokens.mailServer())
                        .contentType("application/x-www-form-urlencoded")
                        .body(Forms.encode("account", account, "secret", "x", "protocol", "gopher"))
                        .post("/v1/mail-auth/verify")
                        .then(),
                400,
                "validation-failed");
        assertProblem(
                Api.hostile(Tokens.mailServer())
                        .contentType("application/json")
                        .body(Map.of("accountId", account, "secret", "x", "protocol", "gopher"))
                        .post("/v1/mail-auth/verify")
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void formWithoutAccountIsRefused() {
        assertProblem(
                Api.hostile(Tokens.mailServer())
                        .contentType("application/x-www-form-urlencoded")
                        .body(Forms.encode("secret", "x", "protocol", "imap"))
                        .post("/v1/mail-auth/verify")
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void ownerTokenMayNotVerify() {
        assertProblem(
                Api.as(Tokens.owner(account))
                        .body(login(account, "whatever", "imap", null))
                        .post("/v1/mail-auth/verify")
                        .then(),
                403,
                "forbidden");
    }

    @Test
    void verifyNeedsAToken() {
        assertProblem(
                Api.anonymous()
                        .body(login(account, "whatever", "imap", null))
                        .post("/v1/mail-auth/verify")
                        .then(),
                401,
                "authentication-required");
    }

    @Test
    void adminTokenMayNotTestSecrets() {
        assertProblem(
                Api.as(Tokens.admin())
                        .body(login(account, "whatever", "imap", null))
                        .post("/v1/mail-auth/verify")
                        .then(),
                403,
                "forbidden");
    }
}
