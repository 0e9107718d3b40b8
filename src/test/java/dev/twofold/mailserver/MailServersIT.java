package dev.twofold.mailserver;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Base32Decoder;
import dev.twofold.testing.PackagedAppSettings;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Tokens;
import dev.twofold.totp.HashAlgorithm;
import dev.twofold.totp.Totp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real mail servers in front of the packaged Twofold: Dovecot with deploy/dovecot's Lua passdb,
 * Postfix SMTP AUTH through Dovecot SASL, nginx's mail proxy asking {@code /v1/mail-auth/nginx}, and a
 * second Dovecot with the oauth2 (introspection) passdb, each logged in to by a real client (curl, swaks).
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppSettings.class)
@WithTestResource(MailStackResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailServersIT {

    private static final Logger LOG = Logger.getLogger(MailServersIT.class);
    /**
     * Far above a healthy login (tens of milliseconds) and far below Dovecot's HTTP client waiting
     * for a "100 Continue" that never comes (1-2 s per login), which this bound exists to catch.
     */
    private static final Duration ACCEPT_LIMIT = Duration.ofSeconds(1);
    /** Dovecot's auth process flushes refusals on a 0.5 s timer even with auth_failure_delay = 0. */
    private static final Duration REFUSAL_LIMIT = Duration.ofMillis(1500);

    private MailStack mail;

    @BeforeEach
    void startMailServersOnce() {
        if (mail != null) {
            return;
        }
        boolean installed = MailStack.packagesInstalled();
        if (!installed) {
            LOG.error("\n\n############################################################################\n"
                    + "#  MAIL END-TO-END TESTS SKIPPED: nginx/Dovecot/Postfix/swaks are missing\n"
                    + "#  and deploy/e2e/install-mail-packages.sh could not install them\n"
                    + "#  (see target/install-mail-packages.log). Nothing about real mail servers\n"
                    + "#  was tested in this run.\n"
                    + "############################################################################\n");
        }
        assumeTrue(installed, "mail packages missing and not installable: see the log above");
        MailStack stack = MailStack.current();
        stack.start(URI.create("http://127.0.0.1:" + RestAssured.port), Tokens.mailServer());
        mail = stack;
        // The first login warms up the JVM, the database pool and Dovecot's auth workers; it is not timed.
        MailClient.imap(mail.port("IMAP_PORT"), Accounts.fresh(), "warm-up");
    }

    @AfterAll
    void stopMailServers() {
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    void appPasscodeLogsInEverywhere() {
        String account = Accounts.fresh();
        String passcode = Passcodes.create(account, "Thunderbird").passcode();

        assertAccepted("IMAP via Dovecot", MailClient.imap(mail.port("IMAP_PORT"), account, passcode));
        assertAccepted("POP3 via Dovecot", MailClient.pop3(mail.port("POP3_PORT"), account, passcode));
        assertAccepted("SMTP AUTH via Postfix", MailClient.smtp(mail.port("SMTP_PORT"), account, passcode));
        assertAccepted("IMAP via nginx", MailClient.imap(mail.port("NGINX_IMAP_PORT"), account, passcode));
        assertAccepted("POP3 via nginx", MailClient.pop3(mail.port("NGINX_POP3_PORT"), account, passcode));
        assertAccepted("SMTP AUTH via nginx", MailClient.smtp(mail.port("NGINX_SMTP_PORT"), account, passcode));
    }

    @Test
    void loginNameIsNormalisedOnEveryPath() {
        String account = Accounts.fresh();
        String passcode = Passcodes.create(account, "Thunderbird").passcode();
        String typed = account.toUpperCase(Locale.ROOT);

        assertAccepted("IMAP via Dovecot", MailClient.imap(mail.port("IMAP_PORT"), typed, passcode));
        assertAccepted("IMAP via nginx", MailClient.imap(mail.port("NGINX_IMAP_PORT"), typed, passcode));
    }

    @Test
    void revokedPasscodeFailsOnNextLogin() {
        String account = Accounts.fresh();
        Passcodes.Created created = Passcodes.create(account, "Thunderbird");
        String passcode = created.passcode();
        assertAccepted("IMAP via Dovecot", MailClient.imap(mail.port("IMAP_PORT"), account, passcode));
        assertAccepted("IMAP via nginx", MailClient.imap(mail.port("NGINX_IMAP_PORT"), account, passcode));

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{account}/app-passcodes/{id}", account, created.id())
                .then()
                .statusCode(204);

        assertRefused(
                "IMAP via Dovecot",
                MailClient.imap(mail.port("IMAP_PORT"), account, passcode),
                "[AUTHENTICATIONFAILED]");
        assertRefused("SMTP AUTH via Postfix", MailClient.smtp(mail.port("SMTP_PORT"), account, passcode), "535");
        assertRefused(
                "IMAP via nginx",
                MailClient.imap(mail.port("NGINX_IMAP_PORT"), account, passcode),
                "Invalid login or password");
    }

    @Test
    void wrongSecretIsRefused() {
        String account = Accounts.fresh();
        Passcodes.create(account, "Thunderbird");
        String wrong = "abcd efgh ijkl mnop";

        assertRefused(
                "IMAP via Dovecot", MailClient.imap(mail.port("IMAP_PORT"), account, wrong), "[AUTHENTICATIONFAILED]");
        assertRefused("POP3 via Dovecot", MailClient.pop3(mail.port("POP3_PORT"), account, wrong), "-ERR [AUTH]");
        assertRefused("SMTP AUTH via Postfix", MailClient.smtp(mail.port("SMTP_PORT"), account, wrong), "535");
        // Two-factor is off and the secret is no passcode: nginx lets Dovecot check it as a primary
        // password, and shows Dovecot's refusal (proxy_pass_error_message on).
        assertRefused(
                "IMAP via nginx",
                MailClient.imap(mail.port("NGINX_IMAP_PORT"), account, wrong),
                "[AUTHENTICATIONFAILED]");
        // nginx never logs in to the SMTP backend, so it cannot pass a primary password on.
        assertRefused(
                "SMTP AUTH via nginx",
                MailClient.smtp(mail.port("NGINX_SMTP_PORT"), account, wrong),
                "535 5.7.8 Invalid login or password");
    }

    @Test
    void primaryPasswordFallsThroughToTheNextPassdbWhileTwoFactorIsOff() {
        String account = Accounts.fresh();
        String primary = MailStack.PRIMARY_PASSWORD;

        assertAccepted("IMAP via Dovecot", MailClient.imap(mail.port("IMAP_PORT"), account, primary));
        assertAccepted("SMTP AUTH via Postfix", MailClient.smtp(mail.port("SMTP_PORT"), account, primary));
        // nginx passes the client's own password through; Dovecot behind it checks it.
        assertAccepted("IMAP via nginx", MailClient.imap(mail.port("NGINX_IMAP_PORT"), account, primary));
        assertAccepted("POP3 via nginx", MailClient.pop3(mail.port("NGINX_POP3_PORT"), account, primary));
        assertRefused(
                "SMTP AUTH via nginx", MailClient.smtp(mail.port("NGINX_SMTP_PORT"), account, primary), "535 5.7.8");
        assertRefused(
                "IMAP via Dovecot",
                MailClient.imap(mail.port("IMAP_PORT"), account, primary + "x"),
                "[AUTHENTICATIONFAILED]");
    }

    @Test
    void primaryPasswordIsRefusedOnceTwoFactorIsOn() {
        String account = Accounts.fresh();
        String passcode = Passcodes.create(account, "Thunderbird").passcode();
        enableTwoFactor(account);
        String primary = MailStack.PRIMARY_PASSWORD;

        assertRefused(
                "IMAP via Dovecot",
                MailClient.imap(mail.port("IMAP_PORT"), account, primary),
                "[AUTHENTICATIONFAILED]");
        assertRefused("POP3 via Dovecot", MailClient.pop3(mail.port("POP3_PORT"), account, primary), "-ERR [AUTH]");
        assertRefused("SMTP AUTH via Postfix", MailClient.smtp(mail.port("SMTP_PORT"), account, primary), "535");
        assertRefused(
                "IMAP via nginx",
                MailClient.imap(mail.port("NGINX_IMAP_PORT"), account, primary),
                "Invalid login or password");
        assertAccepted(
                "IMAP via Dovecot with the passcode", MailClient.imap(mail.port("IMAP_PORT"), account, passcode));
    }

    @Test
    void passcodeScopedToImapIsRefusedForSmtp() {
        String account = Accounts.fresh();
        String passcode = Passcodes.create(account, "Thunderbird", List.of("imap"), List.of())
                .passcode();

        assertAccepted("IMAP via Dovecot", MailClient.imap(mail.port("IMAP_PORT"), account, passcode));
        assertRefused("SMTP AUTH via Postfix", MailClient.smtp(mail.port("SMTP_PORT"), account, passcode), "535");
        assertRefused("POP3 via Dovecot", MailClient.pop3(mail.port("POP3_PORT"), account, passcode), "-ERR [AUTH]");
        assertRefused(
                "SMTP AUTH via nginx", MailClient.smtp(mail.port("NGINX_SMTP_PORT"), account, passcode), "535 5.7.8");
    }

    @Test
    void dovecotsOauth2PassdbAcceptsOnlyTheAccountsActivePasscodes() {
        String account = Accounts.fresh();
        Passcodes.Created created = Passcodes.create(account, "Thunderbird");
        String othersPasscode =
                Passcodes.create(Accounts.fresh(), "Thunderbird").passcode();
        int port = mail.port("OAUTH2_IMAP_PORT");

        assertAccepted("IMAP via Dovecot oauth2", MailClient.imap(port, account, created.passcode()));
        assertRefused(
                "IMAP via Dovecot oauth2", MailClient.imap(port, account, othersPasscode), "[AUTHENTICATIONFAILED]");
        // Introspection has no "use-password": the primary password never works on this path.
        assertRefused(
                "IMAP via Dovecot oauth2",
                MailClient.imap(port, account, MailStack.PRIMARY_PASSWORD),
                "[AUTHENTICATIONFAILED]");
        // Dovecot names the service (send_auth_headers): protocol limits hold on this path too.
        String imapOnly =
                Passcodes.create(account, "Reader", List.of("imap"), List.of()).passcode();
        String smtpOnly =
                Passcodes.create(account, "Mailer", List.of("smtp"), List.of()).passcode();
        assertAccepted("IMAP via Dovecot oauth2", MailClient.imap(port, account, imapOnly));
        assertRefused("IMAP via Dovecot oauth2", MailClient.imap(port, account, smtpOnly), "[AUTHENTICATIONFAILED]");
        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{account}/app-passcodes/{id}", account, created.id())
                .then()
                .statusCode(204);
        assertRefused(
                "IMAP via Dovecot oauth2",
                MailClient.imap(port, account, created.passcode()),
                "[AUTHENTICATIONFAILED]");
    }

    @Test
    void twofoldUnreachableIsATemporaryFailureNotAWrongPassword() {
        String account = Accounts.fresh();
        String passcode = Passcodes.create(account, "Thunderbird").passcode();
        mail.cutOffTwofold();
        try {
            assertRefused(
                    "IMAP via Dovecot", MailClient.imap(mail.port("IMAP_PORT"), account, passcode), "NO [UNAVAILABLE]");
            assertRefused(
                    "POP3 via Dovecot", MailClient.pop3(mail.port("POP3_PORT"), account, passcode), "-ERR [SYS/TEMP]");
            // Postfix 3.7 does not read Dovecot 2.3's temporary-failure code and answers 535; the
            // login is refused all the same, and Dovecot logs the temporary failure.
            assertRefused("SMTP AUTH via Postfix", MailClient.smtp(mail.port("SMTP_PORT"), account, passcode), "5");
            // With Twofold down the primary password must not get in through the next passdb either.
            assertRefused(
                    "IMAP via Dovecot",
                    MailClient.imap(mail.port("IMAP_PORT"), account, MailStack.PRIMARY_PASSWORD),
                    "NO [UNAVAILABLE]");
        } finally {
            mail.reconnectTwofold();
        }
        assertAccepted("IMAP via Dovecot", MailClient.imap(mail.port("IMAP_PORT"), account, passcode));
    }

    /** Two-factor on through the real API: enroll, then confirm with a code from the returned secret. */
    private static void enableTwoFactor(String account) {
        JsonPath enrollment = Api.as(Tokens.owner(account))
                .post("/v1/accounts/{account}/two-factor/enrollment", account)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        long step = Totp.timeStep(Instant.now(), Duration.ofSeconds(enrollment.getInt("period")));
        String code = Totp.hotp(
                Base32Decoder.decode(enrollment.getString("secret")),
                step,
                enrollment.getInt("digits"),
                HashAlgorithm.valueOf(enrollment.getString("algorithm")));
        Api.as(Tokens.owner(account))
                .body(Map.of("code", code))
                .post("/v1/accounts/{account}/two-factor/enrollment/confirm", account)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true));
    }

    private static void assertAccepted(String path, MailClient.Login login) {
        LOG.infof(
                "%-40s accepted=%s in %4d ms: %s",
                path, login.accepted(), login.took().toMillis(), login.reply());
        assertTrue(login.accepted(), path + " refused the login: " + login.reply());
        assertTrue(
                login.took().compareTo(ACCEPT_LIMIT) < 0,
                path + " took " + login.took().toMillis() + " ms");
    }

    private static void assertRefused(String path, MailClient.Login login, String expectedReply) {
        LOG.infof(
                "%-40s accepted=%s in %4d ms: %s",
                path, login.accepted(), login.took().toMillis(), login.reply());
        assertFalse(login.accepted(), path + " accepted the login");
        assertTrue(
                login.reply().contains(expectedReply),
                path + " answered '" + login.reply() + "', expected '" + expectedReply + "'");
        assertTrue(
                login.took().compareTo(REFUSAL_LIMIT) < 0,
                path + " took " + login.took().toMillis() + " ms");
    }
}
