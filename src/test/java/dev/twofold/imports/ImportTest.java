package dev.twofold.imports;

import static dev.twofold.imports.ImportRequests.assertStatus;
import static dev.twofold.imports.ImportRequests.importFile;
import static dev.twofold.imports.ImportRequests.importFileAs;
import static dev.twofold.imports.ImportRequests.line;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twofold.crypto.Base32;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Forms;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Schema;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/admin/imports over HTTP against PostgreSQL: seeds, codes, passcodes, errors, dry runs, reruns. */
@QuarkusTest
class ImportTest {

    @Inject
    TestClock clock;

    @Inject
    SecretGenerator generator;

    @BeforeEach
    void fixTheClock() {
        TwoFactorSteps.fixAtStepStart(clock);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void tenThousandSeedsAreImportedInOneRequestAndTheirCodesVerify() throws Exception {
        String prefix = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> secrets = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String secret = Base32.encode(generator.totpSeed());
            secrets.add(secret);
            file.append(line(Map.of(
                            "accountId",
                            prefix + "-" + i + "@example.com",
                            "totp",
                            Map.of("secret", secret, "algorithm", "SHA1", "digits", 6, "period", 30))))
                    .append('\n');
        }

        List<JsonNode> results = importFile(file.toString(), false);

        assertEquals(10_000, results.size());
        for (int i = 0; i < results.size(); i++) {
            assertStatus(results.get(i), i + 1, "imported");
        }
        for (int i : new int[] {0, 4_321, 9_999}) {
            String account = prefix + "-" + i + "@example.com";
            TwoFactorSteps.verify(account, oathtool(secrets.get(i))).statusCode(200);
        }
        assertEquals(
                10_000,
                Jdbc.count(
                        "select count(*) from security_event where type = 'account-imported' and account_id like ?",
                        prefix + "-%"));
    }

    @Test
    void aPasswordLoginCachedBeforeTheImportIsRefusedAfterIt() {
        String account = Accounts.fresh();
        // Caches "2FA off" for the account on this replica, as a mail client's login before the migration would.
        mailLogin(account, "the-primary-password", "imap").body("decision", equalTo("use-password"));

        String file = line(Map.of("accountId", account, "totp", Map.of("secret", Base32.encode(generator.totpSeed()))));
        assertStatus(importFile(file, false).get(0), 1, "imported");

        // The change reaches the listener at commit; the login cache's TTL (minutes) must not decide.
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> mailLogin(account, "the-primary-password", "imap")
                        .body("decision", equalTo("reject"))
                        .body("reason", equalTo("two-factor-required")));
    }

    @Test
    void recoveryCodesAndPlainPasscodeWorkAfterImport() throws Exception {
        String account = Accounts.fresh();
        String secret = Base32.encode(generator.totpSeed());
        List<String> codes = generator.recoveryCodes(2);
        String passcode = generator.appPasscode();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("accountId", account);
        entry.put("totp", Map.of("otpauthUri", "otpauth://totp/Old:" + account + "?secret=" + secret + "&issuer=Old"));
        entry.put("recoveryCodes", codes);
        entry.put(
                "appPasscodes",
                List.of(Map.of("name", "Thunderbird", "passcode", passcode, "protocols", List.of("imap"))));

        assertStatus(importFile(line(entry), false).get(0), 1, "imported");

        mailLogin(account, passcode, "imap").body("decision", equalTo("accept"));
        mailLogin(account, passcode, "smtp").body("decision", equalTo("reject"));
        TwoFactorSteps.verify(account, codes.get(0)).statusCode(200);
        TwoFactorSteps.verify(account, oathtool(secret)).statusCode(200);
        assertEquals(
                "true",
                Jdbc.query(
                                "select detail->>'totp' from security_event where account_id = ? and type = 'account-imported'",
                                account)
                        .get(0)[0]);
    }

    @Test
    void malformedLinesAreAnsweredWithProblemsAndTheRestIsImported() {
        String good = Accounts.fresh();
        String other = Accounts.fresh();
        String file = String.join(
                "\n",
                line(Map.of("accountId", good, "totp", Map.of("secret", Base32.encode(generator.totpSeed())))),
                "{not json",
                "",
                line(Map.of("accountId", Accounts.fresh(), "totp", Map.of("secret", "not base32!", "digits", 7))),
                "{\"accountId\":\"" + "x".repeat(70_000) + "\"}",
                line(Map.of("accountId", other, "appPasscodes", List.of(Map.of("name", "Phone", "hash", "{MD5}abc")))),
                line(Map.of(
                        "accountId",
                        other,
                        "appPasscodes",
                        List.of(Map.of("name", "Phone", "passcode", generator.appPasscode())))));

        List<JsonNode> results = importFile(file, false);

        assertEquals(6, results.size());
        assertStatus(results.get(0), 1, "imported");
        assertStatus(results.get(1), 2, "error");
        assertEquals(
                "https://twofold.dev/problems/malformed-request",
                results.get(1).at("/problem/type").asText());
        assertStatus(results.get(2), 4, "error");
        assertEquals(
                "https://twofold.dev/problems/validation-failed",
                results.get(2).at("/problem/type").asText());
        assertEquals(
                2, results.get(2).at("/problem/errors").size(), results.get(2).toString());
        assertStatus(results.get(3), 5, "error");
        assertEquals(
                "https://twofold.dev/problems/payload-too-large",
                results.get(3).at("/problem/type").asText());
        assertStatus(results.get(4), 6, "error");
        assertEquals(
                "appPasscodes[0].hash",
                results.get(4).at("/problem/errors/0/field").asText());
        assertStatus(results.get(5), 7, "imported");
        assertEquals(1, Jdbc.count("select count(*) from totp_factor where account_id = ?", good));
        assertEquals(1, Jdbc.count("select count(*) from app_passcode where account_id = ?", other));
    }

    @Test
    void dryRunWritesNothingAndARerunSkipsWhatIsThere() {
        String account = Accounts.fresh();
        String file = line(Map.of(
                        "accountId", account,
                        "totp", Map.of("secret", Base32.encode(generator.totpSeed())),
                        "recoveryCodes", generator.recoveryCodes(1)))
                + "\n"
                + line(Map.of(
                        "accountId",
                        account,
                        "appPasscodes",
                        List.of(Map.of("name", "Phone", "passcode", generator.appPasscode()))))
                + "\n";
        Map<String, Long> before = rowCounts();

        List<JsonNode> dryRun = importFile(file, true);

        assertEquals(before, rowCounts());
        assertStatus(dryRun.get(0), 1, "imported");
        assertStatus(dryRun.get(1), 2, "imported");

        List<JsonNode> imported = importFile(file, false);
        assertStatus(imported.get(0), 1, "imported");
        assertStatus(imported.get(1), 2, "imported");

        List<JsonNode> rerun = importFile(file, false);
        assertStatus(rerun.get(0), 1, "skipped");
        assertStatus(rerun.get(1), 2, "skipped");
        assertEquals(1, Jdbc.count("select count(*) from app_passcode where account_id = ?", account));
        assertEquals(1, Jdbc.count("select count(*) from recovery_code where account_id = ?", account));
        // One event per account and batch: both lines of the account were written together.
        assertEquals(
                1,
                Jdbc.count(
                        "select count(*) from security_event where account_id = ? and type = 'account-imported'",
                        account));
    }

    @Test
    void aScopedAdminImportsOnlyItsDomainsAccounts() {
        String domain = Accounts.freshDomain();
        String own = Accounts.freshIn(domain);
        String foreign = Accounts.fresh();
        String file = line(Map.of("accountId", own, "totp", Map.of("secret", Base32.encode(generator.totpSeed()))))
                + "\n"
                + line(Map.of("accountId", foreign, "totp", Map.of("secret", Base32.encode(generator.totpSeed()))));

        List<JsonNode> results = importFileAs(Tokens.adminOf(domain), file, false);

        assertStatus(results.get(0), 1, "imported");
        assertStatus(results.get(1), 2, "error");
        assertEquals(
                "https://twofold.dev/problems/not-found",
                results.get(1).at("/problem/type").asText());
        assertEquals(0, Jdbc.count("select count(*) from totp_factor where account_id = ?", foreign));
        assertEquals(
                1,
                Jdbc.count(
                        "select count(*) from security_event where account_id = ? and type = 'account-imported'"
                                + " and actor is not null",
                        own));
    }

    @Test
    void onlyAdminsImport() {
        String account = Accounts.fresh();
        Api.hostile(Tokens.owner(account))
                .contentType("application/x-ndjson")
                .body(line(Map.of("accountId", account)).getBytes(StandardCharsets.UTF_8))
                .post("/v1/admin/imports")
                .then()
                .statusCode(403);
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        // Every table, from the catalog: a dry run that wrote to a table added later would not go unseen.
        Schema.tables().forEach(table -> counts.put(table, Jdbc.count("select count(*) from \"" + table + "\"")));
        return counts;
    }

    private String oathtool(String secret) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "oathtool", "--totp", "-b", "-N", "@" + clock.instant().getEpochSecond(), secret)
                .redirectErrorStream(true)
                .start();
        String code = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, process.waitFor(), code);
        assertTrue(code.matches("\\d{6}"), code);
        return code;
    }

    static io.restassured.response.ValidatableResponse mailLogin(String account, String secret, String protocol) {
        return Api.as(Tokens.mailServer())
                .contentType("application/x-www-form-urlencoded")
                .body(Forms.encode("account", account, "secret", secret, "protocol", protocol))
                .post("/v1/mail-auth/verify")
                .then()
                .statusCode(200);
    }
}
