package dev.twofold.mailauth;

import static dev.twofold.testing.Passcodes.decide;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.twofold.testing.Api;
import dev.twofold.testing.FreshAccountTest;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestSql;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Logins from {@code twofold.mail-auth.webmail-networks} (192.0.2.128/25 and 2001:db8:feed::/48 in the
 * test profile): the webmail may use the primary password with 2FA on, for its own protocols only;
 * passcodes are judged as from anywhere else.
 */
@QuarkusTest
class WebmailNetworksTest extends FreshAccountTest {

    private static final String WEBMAIL = "192.0.2.130";
    private static final String ELSEWHERE = "192.0.2.10";
    private static final String PASSWORD = "the primary password";

    @Test
    void passwordFromTheWebmailIsLeftToTheMailServerWithTwoFactorOn() {
        TwoFactorSteps.enable(account, clock);
        for (String protocol : List.of("imap", "smtp", "sieve")) {
            decide(account, PASSWORD, protocol, WEBMAIL)
                    .body("decision", equalTo("use-password"))
                    .body("reason", equalTo("webmail"));
        }
        decide(account, PASSWORD, "imap", "2001:db8:feed:1::25")
                .body("decision", equalTo("use-password"))
                .body("reason", equalTo("webmail"));
    }

    @Test
    void passwordFromElsewhereOrOverOtherProtocolsOrWithoutClientIpStaysRefused() {
        TwoFactorSteps.enable(account, clock);
        decide(account, PASSWORD, "imap", ELSEWHERE)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("two-factor-required"));
        decide(account, PASSWORD, "pop3", WEBMAIL)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("two-factor-required"));
        decide(account, PASSWORD, "caldav", WEBMAIL)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("two-factor-required"));
        decide(account, PASSWORD, "imap", null)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("two-factor-required"));
    }

    @Test
    void webmailPasswordLoginsAreAuditedOncePerAccountPerInterval() {
        TwoFactorSteps.enable(account, clock);
        Passcodes.Created passcode = Passcodes.create(account, "Phone", List.of(), List.of());
        decide(account, PASSWORD, "imap", WEBMAIL).body("reason", equalTo("webmail"));
        decide(account, PASSWORD, "imap", WEBMAIL).body("reason", equalTo("webmail"));
        decide(account, PASSWORD, "smtp", "192.0.2.131").body("reason", equalTo("webmail"));
        decide(account, passcode.passcode(), "imap", WEBMAIL).body("decision", equalTo("accept"));
        decide(account, PASSWORD, "imap", ELSEWHERE).body("reason", equalTo("two-factor-required"));

        List<Map<String, Object>> events = webmailEvents();
        assertEquals(1, events.size());
        assertEquals(WEBMAIL, events.get(0).get("ip"));
        assertEquals("imap", events.get(0).get("protocol"));
        assertEquals(null, events.get(0).get("detail"));

        clock.advance(Duration.ofMinutes(59));
        decide(account, PASSWORD, "imap", WEBMAIL).body("reason", equalTo("webmail"));
        assertEquals(1, webmailEvents().size());
        clock.advance(Duration.ofMinutes(1));
        decide(account, PASSWORD, "sieve", WEBMAIL).body("reason", equalTo("webmail"));
        assertEquals(2, webmailEvents().size());
        assertEquals("sieve", webmailEvents().get(1).get("protocol"));
    }

    @Test
    void withTwoFactorOffTheAnswerIsThePlainUsePassword() {
        decide(account, PASSWORD, "imap", WEBMAIL)
                .body("decision", equalTo("use-password"))
                .body("reason", nullValue());
        assertEquals(List.of(), webmailEvents());
    }

    @Test
    void passcodesFromTheWebmailAreJudgedAsFromAnywhere() {
        TwoFactorSteps.enable(account, clock);
        Passcodes.Created imapOnly = Passcodes.create(account, "Webmail-side app", List.of("imap"), List.of());
        decide(account, imapOnly.passcode(), "imap", WEBMAIL)
                .body("decision", equalTo("accept"))
                .body("credential.id", equalTo(imapOnly.id().toString()));
        decide(account, imapOnly.passcode(), "smtp", WEBMAIL)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("protocol-not-allowed"));

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/app-passcodes/{pid}", account, imapOnly.id())
                .then()
                .statusCode(204);
        decide(account, imapOnly.passcode(), "imap", WEBMAIL)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("revoked"));
    }

    @Test
    void nginxPassesWebmailImapLoginsToTheBackendButNeverSmtp() {
        TwoFactorSteps.enable(account, clock);
        nginx(account, "imap", WEBMAIL).header("Auth-Status", "OK").header("Auth-Pass", nullValue());
        nginx(account, "imap", ELSEWHERE).header("Auth-Status", "Invalid login or password");
        // nginx vouches for SMTP logins with XCLIENT: nothing behind it would check the password.
        nginx(account, "smtp", WEBMAIL).header("Auth-Status", "Invalid login or password");
    }

    @Test
    void aNetworkThatIsNoCidrStopsTheService() {
        assertThrows(IllegalStateException.class, () -> new WebmailNetworks(List.of("10.0.0.0/33")));
        assertThrows(IllegalStateException.class, () -> new WebmailNetworks(List.of("webmail.example.com")));
    }

    private List<Map<String, Object>> webmailEvents() {
        return TestSql.rows(
                "select ip, protocol, detail::text as detail from security_event"
                        + " where account_id = ? and type = 'webmail-password-login' order by id",
                account);
    }

    private static io.restassured.response.ValidatableResponse nginx(String account, String protocol, String clientIp) {
        return Api.as(Tokens.mailServer())
                .header("Auth-Method", "plain")
                .header("Auth-User", account)
                .header("Auth-Pass", "the%20primary%20password")
                .header("Auth-Protocol", protocol)
                .header("Auth-Login-Attempt", "1")
                .header("Client-IP", clientIp)
                .header("Client-Host", "[UNAVAILABLE]")
                .get("/v1/mail-auth/nginx")
                .then()
                .statusCode(200);
    }
}
