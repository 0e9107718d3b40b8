package dev.twofold.totp;

import static dev.twofold.testing.Problems.assertProblem;
import static dev.twofold.testing.TwoFactorSteps.code;
import static dev.twofold.testing.TwoFactorSteps.enable;
import static dev.twofold.testing.TwoFactorSteps.eventTypes;
import static dev.twofold.testing.TwoFactorSteps.fixAtStepStart;
import static dev.twofold.testing.TwoFactorSteps.status;
import static dev.twofold.testing.TwoFactorSteps.step;
import static dev.twofold.testing.TwoFactorSteps.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.TestSql;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LockoutTest {

    @Inject
    TestClock clock;

    @BeforeEach
    void fixClock() {
        fixAtStepStart(clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void fiveWrongCodesLockVerificationForAMinute() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);

        failFourTimes(enabled);
        assertProblem(verify(enabled.account(), wrongCode(enabled)), 429, "too-many-attempts")
                .header("Retry-After", "60")
                .body("retryAfterSeconds", equalTo(60));

        status(enabled.account())
                .body("lockedUntil", equalTo(clock.instant().plusSeconds(60).toString()));
        // While locked even the right code is refused, and not spent.
        String valid = code(enabled.seed(), clock.instant());
        assertProblem(verify(enabled.account(), valid), 429, "too-many-attempts")
                .header("Retry-After", "60");
        assertProblem(verify(enabled.account(), enabled.recoveryCodes().get(0)), 429, "too-many-attempts");
        clock.advance(Duration.ofSeconds(59));
        assertProblem(verify(enabled.account(), valid), 429, "too-many-attempts")
                .header("Retry-After", "1");

        clock.advance(Duration.ofSeconds(1));
        verify(enabled.account(), code(enabled.seed(), clock.instant())).statusCode(200);
        status(enabled.account()).body("lockedUntil", nullValue());
        List<String> types = eventTypes(enabled.account());
        assertEquals(1, Collections.frequency(types, "lockout"), types.toString());
        assertEquals(5, Collections.frequency(types, "verify-failed"), types.toString());
    }

    @Test
    void eachFurtherLockoutDoublesUpToAnHour() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);

        for (long expected : new long[] {60, 120, 240, 480, 960, 1920, 3600, 3600}) {
            failFourTimes(enabled);
            assertProblem(verify(enabled.account(), wrongCode(enabled)), 429, "too-many-attempts")
                    .header("Retry-After", Long.toString(expected));
            clock.advance(Duration.ofSeconds(expected));
        }
    }

    @Test
    void successResetsTheFailuresAndTheBackOff() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        failFourTimes(enabled);
        assertProblem(verify(enabled.account(), wrongCode(enabled)), 429, "too-many-attempts");
        clock.advance(Duration.ofMinutes(1));

        verify(enabled.account(), code(enabled.seed(), clock.instant())).statusCode(200);
        failFourTimes(enabled);
        clock.advance(Duration.ofSeconds(30));
        verify(enabled.account(), code(enabled.seed(), clock.instant())).statusCode(200);

        failFourTimes(enabled);
        assertProblem(verify(enabled.account(), wrongCode(enabled)), 429, "too-many-attempts")
                .header("Retry-After", "60");
    }

    @Test
    void wrongRecoveryCodesCountTowardsTheLockoutAndARightOneResetsIt() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        for (int i = 0; i < 4; i++) {
            assertProblem(verify(enabled.account(), "zzzzz-zzzz" + (i + 2)), 422, "invalid-code");
        }

        verify(enabled.account(), enabled.recoveryCodes().get(0)).statusCode(200);

        assertEquals(
                0,
                ((Number) TestSql.row("select failed_attempts from totp_factor where account_id = ?", enabled.account())
                                .get("failed_attempts"))
                        .intValue());
    }

    @Test
    void lockedVerificationsAreCounted() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        failFourTimes(enabled);
        assertProblem(verify(enabled.account(), wrongCode(enabled)), 429, "too-many-attempts");

        String metrics =
                RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();

        assertTrue(TwoFactorFlowTest.metricValue(metrics, "totp", "locked") >= 1, metrics);
    }

    private void failFourTimes(TwoFactorSteps.Enabled enabled) {
        for (int i = 0; i < 4; i++) {
            assertProblem(verify(enabled.account(), wrongCode(enabled)), 422, "invalid-code");
        }
    }

    /** A code of a step far outside the window: wrong now. */
    private String wrongCode(TwoFactorSteps.Enabled enabled) {
        return code(enabled.seed(), step(clock.instant()) + 100);
    }
}
