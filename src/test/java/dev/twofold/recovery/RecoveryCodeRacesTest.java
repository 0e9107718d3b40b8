package dev.twofold.recovery;

import static dev.twofold.testing.Problems.assertProblem;
import static dev.twofold.testing.TwoFactorSteps.enable;
import static dev.twofold.testing.TwoFactorSteps.fixAtStepStart;
import static dev.twofold.testing.TwoFactorSteps.verify;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recovery codes under races the API alone cannot time: a lockout mid-check, colliding lookup hashes. */
@QuarkusTest
class RecoveryCodeRacesTest {

    @Inject
    TestClock clock;

    @Inject
    LookupHasher lookupHasher;

    @BeforeEach
    void fixClock() {
        fixAtStepStart(clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aLockoutThatBeginsWhileACodeIsCheckedWinsAndTheCodeStaysUnused() throws Exception {
        String account = Accounts.fresh();
        String code = enable(account, clock).recoveryCodes().get(0);
        Instant lockedUntil = clock.instant().plus(Duration.ofHours(1));

        try (Connection failingRequest = Jdbc.connect()) {
            // Another request's lockout, written but not committed yet: it holds the factor's row lock.
            failingRequest.setAutoCommit(false);
            try (PreparedStatement lockout = failingRequest.prepareStatement(
                    "update totp_factor set locked_until = ?, lockouts = lockouts + 1 where account_id = ?")) {
                lockout.setTimestamp(1, Timestamp.from(lockedUntil));
                lockout.setString(2, account);
                assertEquals(1, lockout.executeUpdate());
            }
            CompletableFuture<ValidatableResponse> answer = CompletableFuture.supplyAsync(() -> verify(account, code));
            // The check read the factor unlocked and now waits for the row: let the lockout commit.
            await().atMost(Duration.ofSeconds(20)).until(() -> answer.isDone() || waitingForALock());
            failingRequest.commit();

            assertProblem(answer.get(20, TimeUnit.SECONDS), 429, "too-many-attempts");
        }
        assertEquals(
                1,
                Jdbc.count(
                        "select count(*) from recovery_code where account_id = ? and lookup_hash = ?"
                                + " and used_at is null",
                        account,
                        lookupHash(code)),
                "the code is still unused");
        assertEquals(
                1,
                Jdbc.count(
                        "select count(*) from totp_factor where account_id = ? and locked_until = ?",
                        account,
                        Timestamp.from(lockedUntil)),
                "the lockout stands");
    }

    @Test
    void twoAccountsMayHoldCodesWithTheSameLookupHash() {
        String alice = Accounts.fresh();
        String bob = Accounts.fresh();
        List<String> alicesCodes = enable(alice, clock).recoveryCodes();
        enable(bob, clock);
        String shared = alicesCodes.get(0);

        // A collision of two accounts' keyed hashes (likely with millions of accounts), made on purpose.
        Jdbc.update("""
                insert into recovery_code (account_id, lookup_hash, code_hash, generated_at)
                select ?, lookup_hash, code_hash, generated_at from recovery_code where account_id = ? and lookup_hash = ?""", bob, alice, lookupHash(shared));

        verify(bob, shared).statusCode(200);
        verify(alice, shared).statusCode(200);
        assertThrows(
                IllegalStateException.class,
                () -> Jdbc.update("""
                insert into recovery_code (account_id, lookup_hash, code_hash, generated_at)
                select account_id, lookup_hash, code_hash, generated_at from recovery_code where account_id = ?
                 and lookup_hash = ?""", alice, lookupHash(alicesCodes.get(1))),
                "unique within one account");
    }

    private byte[] lookupHash(String code) {
        return lookupHasher.forStorage(
                LookupHasher.Purpose.RECOVERY_CODE,
                SecretGenerator.normaliseRecoveryCode(code).orElseThrow());
    }

    private static boolean waitingForALock() {
        return Jdbc.count("select count(*) from pg_stat_activity where datname = current_database()"
                        + " and wait_event_type = 'Lock'")
                > 0;
    }
}
