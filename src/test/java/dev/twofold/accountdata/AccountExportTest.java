package dev.twofold.accountdata;

import static dev.twofold.testing.Passcodes.decide;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.Base32;
import dev.twofold.testing.AccountInOwnDomain;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /v1/accounts/{accountId}/export: every stored item of the account, and none of its secrets. */
@QuarkusTest
class AccountExportTest {

    private static final String EXPORT = "/v1/accounts/{id}/export";

    @Inject
    TestClock clock;

    @RegisterExtension
    final AccountInOwnDomain fixture = new AccountInOwnDomain();

    private final String domain = fixture.domain();
    private final String account = fixture.account();

    @Test
    void theExportHoldsEachStoredItemAndNoSecret() {
        Instant enabledAt = TwoFactorSteps.fixAtStepStart(clock);
        TwoFactorSteps.Enabled enabled = TwoFactorSteps.enable(account, clock);
        Passcodes.Created used = Passcodes.create(account, "Phone");
        Passcodes.Created unused = Passcodes.create(account, "Laptop");
        decide(account, used.passcode(), "imap", "198.51.100.23").body("decision", equalTo("accept"));
        String deviceToken = Api.as(Tokens.owner(account))
                .body(Map.of("code", enabled.codeAfter(1), "trustDevice", true, "deviceName", "Firefox"))
                .post("/v1/accounts/{id}/two-factor/verify", account)
                .then()
                .statusCode(200)
                .extract()
                .path("deviceToken");

        String export = Api.as(Tokens.owner(account))
                .get(EXPORT, account)
                .then()
                .statusCode(200)
                .body("accountId", equalTo(account))
                .body("twoFactor.enabled", equalTo(true))
                .body(
                        "twoFactor.recoveryCodes.remaining",
                        equalTo(enabled.recoveryCodes().size()))
                .body("appPasscodes.name", hasItems("Phone", "Laptop"))
                .body("appPasscodes.find { it.name == 'Phone' }.lastUsedIp", equalTo("198.51.100.23"))
                .body("appPasscodes.find { it.name == 'Phone' }.lastUsedProtocol", equalTo("imap"))
                .body("trustedDevices", hasSize(1))
                .body("trustedDevices[0].name", equalTo("Firefox"))
                .body(
                        "securityEvents.type",
                        hasItems("two-factor-enabled", "passcode-created", "passcode-new-ip", "verify-succeeded"))
                .body("totp.factor.algorithm", equalTo("SHA1"))
                .body("totp.factor.digits", equalTo(6))
                .body("totp.factor.period", equalTo(30))
                .body("totp.factor.enabledAt", equalTo(enabledAt.toString()))
                // The verify above spent the step after the confirming one.
                .body(
                        "totp.factor.lastAcceptedStepAt",
                        equalTo(Instant.ofEpochSecond((enabled.confirmedStep() + 1) * 30)
                                .toString()))
                .body("totp.pendingEnrollment", nullValue())
                .extract()
                .asString();

        List<String> secrets = new ArrayList<>(
                List.of(Base32.encode(enabled.seed()), used.passcode(), unused.passcode(), deviceToken, "$argon2"));
        secrets.addAll(enabled.recoveryCodes());
        secrets.addAll(lookupHashes());
        assertTrue(secrets.size() > 6 + enabled.recoveryCodes().size(), "the account's lookup hashes are checked");
        for (String secret : secrets) {
            assertFalse(export.contains(secret), "the export contains a secret or a hash: " + secret);
        }
    }

    @Test
    void aPendingEnrollmentShowsItsTimesAndNotItsSeed() {
        Instant startedAt = TwoFactorSteps.fixAtStepStart(clock);
        String started = TwoFactorSteps.startEnrollment(account)
                .statusCode(201)
                .extract()
                .asString();
        String secret = JsonPath.from(started).getString("secret");
        String expiresAt = JsonPath.from(started).getString("expiresAt");

        String export = Api.as(Tokens.owner(account))
                .get(EXPORT, account)
                .then()
                .statusCode(200)
                .body("totp.factor", nullValue())
                .body("totp.pendingEnrollment.startedAt", equalTo(startedAt.toString()))
                .body("totp.pendingEnrollment.expiresAt", equalTo(expiresAt))
                .extract()
                .asString();
        assertFalse(export.contains(secret), "the export contains the pending seed");
    }

    @Test
    void theDomainPolicyAndTheAccountsFirstAppearanceUnderItAreExported() {
        Api.as(Tokens.admin())
                .body(Map.of("twoFactor", "required", "enrollmentGracePeriod", "P7D"))
                .put("/v1/admin/domains/{domain}/policy", domain)
                .then()
                .statusCode(200);
        Instant firstSeen = TwoFactorSteps.fixAtStepStart(clock);
        TwoFactorSteps.status(account);
        clock.fix(firstSeen.plusSeconds(3600));

        Api.as(Tokens.owner(account))
                .get(EXPORT, account)
                .then()
                .statusCode(200)
                .body("firstSeen", equalTo(firstSeen.toString()))
                .body("domainPolicy.domain", equalTo(domain))
                .body("domainPolicy.twoFactor", equalTo("required"))
                .body("domainPolicy.enrollmentGracePeriod", equalTo("P7D"));
    }

    @Test
    void eachRecoveryCodeShowsWhenItWasGeneratedAndUsed() {
        Instant generatedAt = TwoFactorSteps.fixAtStepStart(clock);
        TwoFactorSteps.Enabled enabled = TwoFactorSteps.enable(account, clock);
        Instant usedAt = generatedAt.plusSeconds(60);
        clock.fix(usedAt);
        TwoFactorSteps.verify(account, enabled.recoveryCodes().get(0)).statusCode(200);

        Api.as(Tokens.owner(account))
                .get(EXPORT, account)
                .then()
                .statusCode(200)
                .body("recoveryCodes", hasSize(enabled.recoveryCodes().size()))
                .body("recoveryCodes.generatedAt", everyItem(equalTo(generatedAt.toString())))
                .body("recoveryCodes.findAll { it.usedAt != null }.usedAt", contains(usedAt.toString()));
    }

    @Test
    void anUndeliveredWebhookOfTheAccountsEventShowsItsStateAndNotItsPayload() {
        Passcodes.create(account, "Phone");
        long eventId = (Long) Jdbc.query("select max(id) from security_event where account_id = ?", account)
                .get(0)[0];
        UUID delivery = UUID.randomUUID();
        String payload = "{\"signed\":\"" + UUID.randomUUID() + "\"}";
        Jdbc.update(
                "insert into webhook_delivery (id, event_id, payload, created_at, attempts, next_attempt_at)"
                        + " values (?, ?, ?, timestamptz '2026-11-23T10:34:52Z', 2, timestamptz '2026-11-23T10:35:52Z')",
                delivery,
                eventId,
                payload);
        try {
            String export = Api.as(Tokens.owner(account))
                    .get(EXPORT, account)
                    .then()
                    .statusCode(200)
                    .body("webhookDeliveries", hasSize(1))
                    .body("webhookDeliveries[0].id", equalTo(delivery.toString()))
                    .body("webhookDeliveries[0].eventId", equalTo(Long.toString(eventId)))
                    .body("webhookDeliveries[0].createdAt", equalTo("2026-11-23T10:34:52Z"))
                    .body("webhookDeliveries[0].nextAttemptAt", equalTo("2026-11-23T10:35:52Z"))
                    .body("webhookDeliveries[0].attempts", equalTo(2))
                    .body("webhookDeliveries[0].abandonedAt", nullValue())
                    .extract()
                    .asString();
            assertFalse(export.contains(payload), "the export contains the delivery's payload");
        } finally {
            // The dispatcher of another test would otherwise try to send it.
            Jdbc.update("delete from webhook_delivery where id = ?", delivery);
        }
    }

    @Test
    void anAdminMayExportAndAnAccountNeverSeenIsEmpty() {
        Passcodes.create(account, "Phone");
        Api.as(Tokens.admin()).get(EXPORT, account).then().statusCode(200).body("appPasscodes", hasSize(1));
        Api.as(Tokens.adminOf(domain)).get(EXPORT, account).then().statusCode(200);

        String unknown = Accounts.fresh();
        Api.as(Tokens.admin())
                .get(EXPORT, unknown)
                .then()
                .statusCode(200)
                .body("twoFactor.enabled", equalTo(false))
                .body("totp.factor", nullValue())
                .body("totp.pendingEnrollment", nullValue())
                .body("firstSeen", nullValue())
                .body("domainPolicy", nullValue())
                .body("recoveryCodes", hasSize(0))
                .body("webhookDeliveries", hasSize(0))
                .body("appPasscodes", hasSize(0))
                .body("trustedDevices", hasSize(0))
                .body("securityEvents", hasSize(0));
    }

    @Test
    void anotherAccountAndAHelpdeskOfAnotherDomainGetNotFound() {
        Passcodes.create(account, "Phone");
        Api.as(Tokens.owner(Accounts.fresh())).get(EXPORT, account).then().statusCode(404);
        Api.as(Tokens.adminOf("a.example")).get(EXPORT, account).then().statusCode(404);
        Api.as(Tokens.mailServer()).get(EXPORT, account).then().statusCode(403);
    }

    /** The keyed lookup hashes of the account's passcodes, codes and devices, as hex and as base64. */
    private List<String> lookupHashes() {
        List<String> encoded = new ArrayList<>();
        for (String table : List.of("app_passcode", "recovery_code", "trusted_device")) {
            for (Object[] row : Jdbc.query("select lookup_hash from " + table + " where account_id = ?", account)) {
                byte[] hash = (byte[]) row[0];
                encoded.add(HexFormat.of().formatHex(hash));
                encoded.add(Base64.getEncoder().encodeToString(hash));
            }
        }
        return encoded;
    }
}
