package dev.twofold.totp;

import static dev.twofold.testing.Problems.assertProblem;
import static dev.twofold.testing.TwoFactorSteps.code;
import static dev.twofold.testing.TwoFactorSteps.confirm;
import static dev.twofold.testing.TwoFactorSteps.enable;
import static dev.twofold.testing.TwoFactorSteps.enroll;
import static dev.twofold.testing.TwoFactorSteps.fixAtStepStart;
import static dev.twofold.testing.TwoFactorSteps.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.KeyRing;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SealingException;
import dev.twofold.crypto.SecretSealer;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.TestSql;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SeedEncryptionTest {

    /** The test profile's ring: "test-throwaway" is active, "test-retired" is being rotated out. */
    private static final String ACTIVE = "test-throwaway";

    private static final String RETIRED = "test-retired";

    @Inject
    TestClock clock;

    @Inject
    SeedRotationService rotation;

    private final String ringSetting = ConfigProvider.getConfig().getValue("twofold.encryption.keys", String.class);
    private final SecretSealer active = new SecretSealer(new KeyRing(ringSetting, ACTIVE));
    private final SecretSealer retired = new SecretSealer(new KeyRing(ringSetting, RETIRED));

    @BeforeEach
    void fixClock() {
        fixAtStepStart(clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void storedSeedIsCiphertextThatOpensOnlyWithItsKeyAndAccount() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);

        SealedSecret stored = stored("totp_factor", enabled.account());

        assertEquals(ACTIVE, stored.keyId());
        assertFalse(contains(stored.ciphertext(), enabled.seed()), "the seed does not appear in the row");
        assertEquals(12 + 20 + 16, stored.ciphertext().length, "nonce, 160-bit seed, tag");
        assertArrayEquals(enabled.seed(), active.open(stored, enabled.account()));
        assertThrows(SealingException.class, () -> active.open(stored, Accounts.fresh()), "another account's AAD");
        SecretSealer impostor = new SecretSealer(
                new KeyRing(ACTIVE + ":" + ringSetting.split(",")[1].split(":")[1], ACTIVE));
        assertThrows(SealingException.class, () -> impostor.open(stored, enabled.account()), "another key");
    }

    @Test
    void pendingSeedIsSealedToo() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);

        SealedSecret stored = stored("totp_enrollment", account);

        assertFalse(contains(stored.ciphertext(), seed));
        assertArrayEquals(seed, active.open(stored, account));
    }

    @Test
    void seedUnderAnOldKeyStillVerifiesAndIsResealedOnSuccess() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        plant("totp_factor", enabled.account(), retired.seal(enabled.seed(), enabled.account()));

        verify(enabled.account(), enabled.codeAfter(1)).statusCode(200);

        SealedSecret after = stored("totp_factor", enabled.account());
        assertEquals(ACTIVE, after.keyId());
        assertArrayEquals(enabled.seed(), active.open(after, enabled.account()));
        clock.advance(TwoFactorSteps.PERIOD);
        verify(enabled.account(), enabled.codeAfter(2)).statusCode(200);
    }

    @Test
    void aFailedVerificationLeavesTheSeedAlone() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        SealedSecret old = retired.seal(enabled.seed(), enabled.account());
        plant("totp_factor", enabled.account(), old);

        assertProblem(verify(enabled.account(), enabled.codeAfter(0)), 422, "invalid-code");

        assertEquals(old, stored("totp_factor", enabled.account()));
    }

    @Test
    void adminRotationResealsFactorsAndPendingEnrollments() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        plant("totp_factor", enabled.account(), retired.seal(enabled.seed(), enabled.account()));
        String pending = Accounts.fresh();
        byte[] pendingSeed = enroll(pending);
        plant("totp_enrollment", pending, retired.seal(pendingSeed, pending));

        Api.as(Tokens.admin())
                .post("/v1/admin/encryption/rotation")
                .then()
                .statusCode(200)
                .body("activeKeyId", equalTo(ACTIVE))
                .body("remaining", equalTo(0));

        assertEquals(ACTIVE, stored("totp_factor", enabled.account()).keyId());
        assertArrayEquals(enabled.seed(), active.open(stored("totp_factor", enabled.account()), enabled.account()));
        assertEquals(ACTIVE, stored("totp_enrollment", pending).keyId());
        verify(enabled.account(), enabled.codeAfter(1)).statusCode(200);
        confirm(pending, code(pendingSeed, clock.instant())).statusCode(200);
        Api.as(Tokens.admin())
                .post("/v1/admin/encryption/rotation")
                .then()
                .statusCode(200)
                .body("reencrypted", equalTo(0))
                .body("remaining", equalTo(0));
    }

    @Test
    void rotationWorksInBatchesAndReportsWhatIsLeft() throws Throwable {
        for (int i = 0; i < 3; i++) {
            String account = Accounts.fresh();
            byte[] seed = enroll(account);
            plant("totp_enrollment", account, retired.seal(seed, account));
        }

        SeedRotationService.Progress first = VertxContextSupport.subscribeAndAwait(() -> rotation.rotateBatch(2));
        assertEquals(2, first.reencrypted());
        assertTrue(first.remaining() >= 1, first.toString());

        SeedRotationService.Progress rest = VertxContextSupport.subscribeAndAwait(() -> rotation.rotateBatch(500));
        assertEquals(first.remaining(), rest.reencrypted());
        assertEquals(0, rest.remaining());
    }

    @Test
    void damagedRowsAtTheFrontDoNotStallTheRotation() throws Throwable {
        // Account ids starting with "a-" sort before the "user-" ones, so the batch meets these first.
        String[] damaged = {"a-damaged-1-" + Accounts.fresh(), "a-damaged-2-" + Accounts.fresh()};
        VertxContextSupport.subscribeAndAwait(() -> rotation.rotateBatch(500)); // what earlier tests left
        try {
            for (String account : damaged) {
                plant("totp_enrollment", account, retired.seal(enroll(account), Accounts.fresh()));
            }
            String healthy = Accounts.fresh();
            byte[] seed = enroll(healthy);
            plant("totp_enrollment", healthy, retired.seal(seed, healthy));

            SeedRotationService.Progress progress =
                    VertxContextSupport.subscribeAndAwait(() -> rotation.rotateBatch(1));

            assertEquals(1, progress.reencrypted(), progress.toString());
            assertEquals(ACTIVE, stored("totp_enrollment", healthy).keyId());
            assertEquals(damaged.length, progress.remaining(), "damaged rows stay and are reported");
            for (String account : damaged) {
                assertEquals(RETIRED, stored("totp_enrollment", account).keyId());
            }
        } finally {
            for (String account : damaged) {
                TestSql.update("delete from totp_enrollment where account_id = ?", account);
            }
        }
    }

    @Test
    void seedsUnderAKeyNoLongerInTheRingAreReportedAsUnreadable() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);
        SealedSecret underLostKey = new SecretSealer(
                        new KeyRing("long-gone:" + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "long-gone"))
                .seal(seed, account);
        plant("totp_enrollment", account, underLostKey);
        try {
            Api.as(Tokens.admin())
                    .post("/v1/admin/encryption/rotation")
                    .then()
                    .statusCode(200)
                    .body("remaining", equalTo(0))
                    .body("unreadable", greaterThanOrEqualTo(1));

            assertEquals(underLostKey, stored("totp_enrollment", account), "left for the operator");
        } finally {
            TestSql.update("delete from totp_enrollment where account_id = ?", account);
        }
    }

    @Test
    void rotationIsForAdminsOnly() {
        assertProblem(
                Api.as(Tokens.owner(Accounts.fresh()))
                        .post("/v1/admin/encryption/rotation")
                        .then(),
                403,
                "forbidden");
        assertProblem(
                Api.as(Tokens.mailServer())
                        .post("/v1/admin/encryption/rotation")
                        .then(),
                403,
                "forbidden");
    }

    private static SealedSecret stored(String table, String account) {
        Map<String, Object> row =
                TestSql.row("select seed_key_id, seed_ciphertext from " + table + " where account_id = ?", account);
        return new SealedSecret((String) row.get("seed_key_id"), (byte[]) row.get("seed_ciphertext"));
    }

    /** Writes a seed sealed elsewhere into the row, as if it had been stored before a key rotation. */
    private static void plant(String table, String account, SealedSecret sealed) {
        assertEquals(
                1,
                TestSql.update(
                        "update " + table + " set seed_key_id = ?, seed_ciphertext = ? where account_id = ?",
                        sealed.keyId(),
                        sealed.ciphertext(),
                        account));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
