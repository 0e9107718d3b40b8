package dev.twofold.rotation;

import static dev.twofold.testing.TwoFactorSteps.enable;
import static dev.twofold.testing.TwoFactorSteps.fixAtStepStart;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.KeyRing;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.LookupHasher.Purpose;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.TestSql;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lookup hashes across a key rotation: app passcodes, recovery codes and trusted devices made under
 * the key being rotated out ("test-retired") are reported, re-keyed when used, retired on request,
 * and a ring without that key is refused at boot while they remain.
 */
@QuarkusTest
class LookupKeyRotationTest {

    private static final String ACTIVE = "test-throwaway";
    private static final String RETIRED = "test-retired";
    private static final String ROTATION = "/v1/admin/encryption/rotation";
    private static final String[] KINDS = {"appPasscodes", "recoveryCodes", "trustedDevices"};

    @Inject
    TestClock clock;

    @Inject
    RemovedKeyGuard guard;

    @Inject
    KeyedRows keyedRows;

    private final String ringSetting = ConfigProvider.getConfig().getValue("twofold.encryption.keys", String.class);
    private final KeyRing fullRing = new KeyRing(ringSetting, ACTIVE);
    /** The ring after step 5 of the guide: the retired key removed. */
    private final KeyRing withoutRetired = new KeyRing(ringSetting.split(",")[0], ACTIVE);

    private final LookupHasher activeHasher = new LookupHasher(fullRing);
    private final LookupHasher retiredHasher = new LookupHasher(new KeyRing(ringSetting, RETIRED));

    /** An account whose passcode, recovery codes and trusted device were made before the rotation. */
    private record OldAccount(
            String account, Passcodes.Created passcode, List<String> recoveryCodes, String deviceToken) {}

    @BeforeEach
    void fixClock() {
        fixAtStepStart(clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void rotationReportsLookupRowsUnderTheOldKeyAndUsingThemReKeysThem() {
        Map<String, Integer> before = staleLookups(rotate(false));
        OldAccount old = madeBeforeTheRotation();

        JsonPath planted = rotate(false);
        assertEquals(before.get("appPasscodes") + 1, staleLookups(planted).get("appPasscodes"), planted.prettify());
        assertEquals(before.get("recoveryCodes") + 10, staleLookups(planted).get("recoveryCodes"), planted.prettify());
        assertEquals(before.get("trustedDevices") + 1, staleLookups(planted).get("trustedDevices"), planted.prettify());

        Passcodes.decide(old.account(), old.passcode().passcode(), "imap", "192.0.2.10")
                .body("decision", equalTo("accept"));
        verifyDevice(old.account(), old.deviceToken()).statusCode(200);
        TwoFactorSteps.verify(old.account(), old.recoveryCodes().get(0))
                .statusCode(200)
                .body("method", equalTo("recovery-code"));

        assertKeyedUnderActiveKey(
                "app_passcode",
                "id = ?",
                Purpose.APP_PASSCODE,
                old.passcode().passcode().replace(" ", ""),
                old.passcode().id());
        assertKeyedUnderActiveKey(
                "trusted_device", "account_id = ?", Purpose.DEVICE_TOKEN, old.deviceToken(), old.account());
        JsonPath used = rotate(false);
        assertEquals(before.get("appPasscodes"), staleLookups(used).get("appPasscodes"), used.prettify());
        assertEquals(
                before.get("recoveryCodes") + 9, staleLookups(used).get("recoveryCodes"), "the used code is burned");
        assertEquals(before.get("trustedDevices"), staleLookups(used).get("trustedDevices"), used.prettify());
        verifyDevice(old.account(), old.deviceToken()).statusCode(200);
    }

    @Test
    void retiringStaleLookupsRevokesForgetsAndDeletesThem() {
        OldAccount old = madeBeforeTheRotation();

        JsonPath retired = rotate(true);

        for (String kind : KINDS) {
            assertEquals(0, staleLookups(retired).get(kind), retired.prettify());
        }
        assertTrue(retired.getInt("retiredLookups.appPasscodes") >= 1, retired.prettify());
        assertTrue(retired.getInt("retiredLookups.recoveryCodes") >= 10, retired.prettify());
        assertTrue(retired.getInt("retiredLookups.trustedDevices") >= 1, retired.prettify());
        Passcodes.decide(old.account(), old.passcode().passcode(), "imap", "192.0.2.10")
                .body("decision", equalTo("reject"));
        verifyDevice(old.account(), old.deviceToken()).statusCode(422);
        TwoFactorSteps.verify(old.account(), old.recoveryCodes().get(1)).statusCode(422);
        TwoFactorSteps.status(old.account())
                .body("recoveryCodes.remaining", equalTo(0))
                .body("appPasscodes.active", equalTo(0));
        Api.as(Tokens.owner(old.account()))
                .get("/v1/accounts/{id}/security-events", old.account())
                .then()
                .statusCode(200)
                .body("items.findAll { it.type == 'passcode-revoked' }.detail.reason", hasItem("key-rotation"))
                .body("items.findAll { it.type == 'trusted-device-revoked' }.detail.reason", hasItem("key-rotation"));
    }

    @Test
    void aRingWithoutAKeyThatRowsStillNeedIsRefusedWithTheCounts() throws Throwable {
        OldAccount old = madeBeforeTheRotation();
        assertEquals(Optional.empty(), refusalAbout(fullRing, RETIRED));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> check(withoutRetired));

        String message = refused.getMessage();
        String finding = refusalAbout(withoutRetired, RETIRED).orElseThrow();
        assertTrue(finding.startsWith("key '" + RETIRED + "' is no longer in TWOFOLD_ENCRYPTION_KEYS"), message);
        assertTrue(finding.contains(usable("app_passcode", "revoked_at is null") + " app passcodes"), message);
        assertTrue(finding.contains(usable("recovery_code", "used_at is null") + " recovery codes"), message);
        assertTrue(finding.contains(usable("trusted_device", "revoked_at is null") + " trusted devices"), message);
        assertTrue(message.contains("POST /v1/admin/encryption/rotation"), message);
        assertFalse(message.contains(ringSetting.split(",")[1].split(":")[1]), "no key material in the message");
        TestSql.update("update app_passcode set revoked_at = now() where account_id = ?", old.account());
    }

    @Test
    void rowsWithoutAKeyIdKeepEveryKeyTheRingHeldWhileTheyExist() throws Throwable {
        OldAccount old = madeBeforeTheRotation();
        TestSql.update(
                "update app_passcode set lookup_key_id = null where id = ?",
                old.passcode().id());
        try {
            assertEquals(Optional.empty(), refusalAbout(fullRing, RETIRED));
            assertEquals(List.of(RETIRED, ACTIVE), legacyKeys(), "sorted by id");

            String finding = refusalAbout(withoutRetired, RETIRED).orElseThrow();
            assertTrue(finding.contains("1 app passcodes stored before key ids were recorded"), finding);
        } finally {
            TestSql.update("update app_passcode set revoked_at = now() where account_id = ?", old.account());
            TestSql.update("delete from lookup_legacy_key");
        }
    }

    /**
     * An older release's table of unkeyed rows is given the key in batches: one statement over all of
     * them sent nothing for longer than the stall timeout, which closed its connection and failed the boot.
     */
    @Test
    void manyRowsWithoutAKeyIdAreAllGivenTheActiveKeyInBatches() throws Throwable {
        String account = Accounts.fresh();
        int rows = 25_000;
        TestSql.update(
                "insert into recovery_code (account_id, lookup_hash, code_hash, generated_at)"
                        + " select ?, decode(md5(g::text) || md5('x' || g), 'hex'), 'placeholder', now()"
                        + " from generate_series(1, ?) g",
                account,
                rows);
        try {
            VertxContextSupport.subscribeAndAwait(() -> keyedRows.assignUnrecorded(ACTIVE));

            assertEquals(
                    rows,
                    TestSql.update(
                            "update recovery_code set used_at = now() where account_id = ? and lookup_key_id = ?",
                            account,
                            ACTIVE));
        } finally {
            TestSql.update("delete from recovery_code where account_id = ?", account);
        }
    }

    /**
     * deploy/README.md, "Key rotation", steps 3 to 5 word for word: the documented calls, repeated
     * until the documented condition holds, leave nothing that needs the old key; before, removing it
     * is refused. Rows without a key id on a ring that never held another key are given its id.
     */
    @Test
    void followingTheGuidesRotationStepsMakesRemovingTheOldKeySafe() throws Throwable {
        madeBeforeTheRotation();
        assertTrue(refusalAbout(withoutRetired, RETIRED).isPresent());
        String steps = guideRotationSteps();
        List<String> calls = documentedCalls(steps);
        assertEquals(2, calls.size(), "step 3 and step 4 each show one call: " + calls);

        JsonPath seeds;
        do {
            seeds = Api.as(Tokens.admin())
                    .post(calls.get(0))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
        } while (seeds.getInt("remaining") > 0);
        assertEquals(documentedFields(steps), seeds.getMap("").keySet(), "the guide's example shows the fields");
        JsonPath lookups;
        do {
            lookups = Api.as(Tokens.admin())
                    .post(calls.get(1))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
        } while (staleLookups(lookups).values().stream().anyMatch(count -> count > 0));

        assertEquals(Optional.empty(), refusalAbout(withoutRetired, RETIRED));

        Passcodes.Created unrecorded = Passcodes.create(Accounts.fresh(), "Laptop");
        TestSql.update("update app_passcode set lookup_key_id = null where id = ?", unrecorded.id());
        TestSql.update("delete from lookup_legacy_key");
        try {
            assertEquals(
                    Optional.empty(), refusalAbout(withoutRetired, RETIRED), "the row is not taken for the old key's");
            assertEquals(
                    ACTIVE,
                    TestSql.row("select lookup_key_id from app_passcode where id = ?", unrecorded.id())
                            .get("lookup_key_id"));
        } finally {
            TestSql.update("delete from lookup_legacy_key");
        }
    }

    /** 2FA on, a passcode, ten recovery codes and a trusted device, their lookup hashes then planted under the retired key. */
    private OldAccount madeBeforeTheRotation() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        String account = enabled.account();
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        String deviceToken = Api.as(Tokens.owner(account))
                .body(Map.of("code", enabled.codeAfter(1), "trustDevice", true))
                .post("/v1/accounts/{id}/two-factor/verify", account)
                .then()
                .statusCode(200)
                .extract()
                .path("deviceToken");
        plant(
                "app_passcode",
                "id = ?",
                Purpose.APP_PASSCODE,
                passcode.passcode().replace(" ", ""),
                passcode.id());
        for (String code : enabled.recoveryCodes()) {
            String normalised = SecretGenerator.normaliseRecoveryCode(code).orElseThrow();
            plant(
                    "recovery_code",
                    "lookup_hash = ?",
                    Purpose.RECOVERY_CODE,
                    normalised,
                    activeHasher.forStorage(Purpose.RECOVERY_CODE, normalised));
        }
        plant("trusted_device", "account_id = ?", Purpose.DEVICE_TOKEN, deviceToken, account);
        return new OldAccount(account, passcode, enabled.recoveryCodes(), deviceToken);
    }

    /** Rewrites a row's lookup hash as the retired key made it (what a row from before the rotation holds). */
    private void plant(String table, String where, Purpose purpose, String secret, Object parameter) {
        assertEquals(
                1,
                TestSql.update(
                        "update " + table + " set lookup_hash = ?, lookup_key_id = ? where " + where,
                        retiredHasher.forStorage(purpose, secret),
                        RETIRED,
                        parameter));
    }

    private void assertKeyedUnderActiveKey(
            String table, String where, Purpose purpose, String secret, Object parameter) {
        Map<String, Object> row =
                TestSql.row("select lookup_hash, lookup_key_id from " + table + " where " + where, parameter);
        assertEquals(ACTIVE, row.get("lookup_key_id"), table);
        assertArrayEquals(activeHasher.forStorage(purpose, secret), (byte[]) row.get("lookup_hash"), table);
    }

    private static JsonPath rotate(boolean retire) {
        return Api.as(Tokens.admin())
                .queryParam("retireStaleLookups", retire)
                .post(ROTATION)
                .then()
                .statusCode(200)
                .body("activeKeyId", equalTo(ACTIVE))
                .extract()
                .jsonPath();
    }

    private static Map<String, Integer> staleLookups(JsonPath result) {
        return Map.of(
                "appPasscodes",
                result.getInt("staleLookups.appPasscodes"),
                "recoveryCodes",
                result.getInt("staleLookups.recoveryCodes"),
                "trustedDevices",
                result.getInt("staleLookups.trustedDevices"));
    }

    private static ValidatableResponse verifyDevice(String account, String token) {
        return Api.as(Tokens.owner(account))
                .body(Map.of("deviceToken", token))
                .post("/v1/accounts/{id}/trusted-devices/verify", account)
                .then();
    }

    private void check(KeyRing ring) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> guard.check(ring));
    }

    /**
     * What the boot check says about {@code keyId} with this ring, if anything. Other tests leave rows
     * under a key that was never in the test ring (a stand-in seed of {@code testing.Jdbc}), which the
     * check rightly names too.
     */
    private Optional<String> refusalAbout(KeyRing ring, String keyId) throws Throwable {
        try {
            check(ring);
            return Optional.empty();
        } catch (IllegalStateException refused) {
            String message = refused.getMessage();
            String findings = message.substring("Refusing to start: ".length(), message.indexOf(". Without the key"));
            return Arrays.stream(findings.split("; "))
                    .filter(finding -> finding.startsWith("key '" + keyId + "'"))
                    .findFirst();
        }
    }

    private static long usable(String table, String condition) {
        return ((Number) TestSql.row(
                                "select count(*) as n from " + table + " where lookup_key_id = ? and " + condition,
                                RETIRED)
                        .get("n"))
                .longValue();
    }

    private static List<String> legacyKeys() {
        return TestSql.rows("select key_id from lookup_legacy_key order by key_id").stream()
                .map(row -> (String) row.get("key_id"))
                .toList();
    }

    private static String guideRotationSteps() throws IOException {
        String guide = Files.readString(Path.of("deploy/README.md"));
        int start = guide.indexOf("**Encryption key ring**");
        return guide.substring(start, guide.indexOf("**IdP signing keys", start));
    }

    /** The path and query of each documented {@code curl -X POST} in the steps, in order. */
    private static List<String> documentedCalls(String steps) {
        return Pattern.compile("curl -X POST [^`]*?https://twofold\\.example\\.com(/v1/[^\\s'`]+)")
                .matcher(steps)
                .results()
                .map(match -> match.group(1))
                .toList();
    }

    private static Set<String> documentedFields(String steps) {
        Matcher example = Pattern.compile("→ `(\\{.*?\\})`\\.").matcher(steps);
        assertTrue(example.find(), "the guide shows an example answer");
        return JsonPath.from(example.group(1)).getMap("").keySet().stream()
                .map(Object::toString)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
