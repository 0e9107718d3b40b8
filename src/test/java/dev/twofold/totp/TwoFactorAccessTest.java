package dev.twofold.totp;

import static dev.twofold.testing.Problems.assertProblem;
import static dev.twofold.testing.TwoFactorSteps.code;
import static dev.twofold.testing.TwoFactorSteps.enable;
import static dev.twofold.testing.TwoFactorSteps.enroll;
import static dev.twofold.testing.TwoFactorSteps.fixAtStepStart;
import static dev.twofold.testing.TwoFactorSteps.status;
import static dev.twofold.testing.TwoFactorSteps.verifyAs;
import static org.hamcrest.Matchers.equalTo;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class TwoFactorAccessTest {

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

    /** The ⚑ operations, each as (token, account) → response. */
    static Stream<Arguments> stepUpOperations() {
        return Stream.of(
                Arguments.of("startTotpEnrollment", (BiFunction<String, String, ValidatableResponse>)
                        (token, account) -> Api.as(token)
                                .post("/v1/accounts/{id}/two-factor/enrollment", account)
                                .then()),
                Arguments.of("disableTwoFactor", (BiFunction<String, String, ValidatableResponse>)
                        (token, account) -> Api.as(token)
                                .delete("/v1/accounts/{id}/two-factor", account)
                                .then()),
                Arguments.of("regenerateRecoveryCodes", (BiFunction<String, String, ValidatableResponse>)
                        (token, account) -> Api.as(token)
                                .post("/v1/accounts/{id}/two-factor/recovery-codes", account)
                                .then()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stepUpOperations")
    void stepUpOperationsNeedARecentSignIn(String operation, BiFunction<String, String, ValidatableResponse> call) {
        String account = enable(Accounts.fresh(), clock).account();
        String stale = Tokens.ownerSignedInAt(account, clock.instant().minus(Duration.ofMinutes(11)));

        assertProblem(call.apply(stale, account), 403, "reauthentication-required");
        assertProblem(call.apply(Tokens.ownerWithoutAuthTime(account), account), 403, "reauthentication-required");
        String signedInElevenDaysAhead =
                Tokens.ownerSignedInAt(account, clock.instant().plus(Duration.ofDays(11)));
        assertProblem(call.apply(signedInElevenDaysAhead, account), 403, "reauthentication-required");
        status(account).body("enabled", equalTo(true)).body("recoveryCodes.remaining", equalTo(10));
    }

    @Test
    void anAdminResetsWithoutStepUpButNeverObtainsAFactor() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        String account = enabled.account();
        String admin = Tokens.admin();

        assertProblem(
                Api.as(admin)
                        .post("/v1/accounts/{id}/two-factor/recovery-codes", account)
                        .then(),
                403,
                "forbidden");
        assertProblem(verifyAs(admin, account, enabled.codeAfter(1)), 403, "forbidden");
        status(account).body("recoveryCodes.remaining", equalTo(10));
        Api.as(admin).delete("/v1/accounts/{id}/two-factor", account).then().statusCode(204);
        status(account).body("enabled", equalTo(false));
        assertProblem(
                Api.as(admin)
                        .post("/v1/accounts/{id}/two-factor/enrollment", account)
                        .then(),
                403,
                "forbidden");
        status(account).body("pendingEnrollment", equalTo(false));
    }

    @Test
    void anAdminMayNotConfirmAnEnrollment() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);

        assertProblem(
                Api.as(Tokens.admin())
                        .body(Map.of("code", code(seed, clock.instant())))
                        .post("/v1/accounts/{id}/two-factor/enrollment/confirm", account)
                        .then(),
                403,
                "forbidden");
        status(account).body("enabled", equalTo(false)).body("pendingEnrollment", equalTo(true));
    }

    @Test
    void anotherAccountsTokenFindsNothing() {
        TwoFactorSteps.Enabled victim = enable(Accounts.fresh(), clock);
        String account = victim.account();
        String intruder = Tokens.owner(Accounts.fresh());

        assertProblem(
                Api.as(intruder).get("/v1/accounts/{id}/two-factor", account).then(), 404, "not-found");
        assertProblem(
                Api.as(intruder)
                        .post("/v1/accounts/{id}/two-factor/enrollment", account)
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.as(intruder)
                        .body(Map.of("code", "123456"))
                        .post("/v1/accounts/{id}/two-factor/enrollment/confirm", account)
                        .then(),
                404,
                "not-found");
        assertProblem(verifyAs(intruder, account, victim.codeAfter(1)), 404, "not-found");
        assertProblem(
                Api.as(intruder).delete("/v1/accounts/{id}/two-factor", account).then(), 404, "not-found");
        assertProblem(
                Api.as(intruder)
                        .get("/v1/accounts/{id}/two-factor/recovery-codes", account)
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.as(intruder)
                        .post("/v1/accounts/{id}/two-factor/recovery-codes", account)
                        .then(),
                404,
                "not-found");

        // The intruder's probe spent nothing: the owner's next code still works.
        TwoFactorSteps.verify(account, victim.codeAfter(1)).statusCode(200);
    }

    @Test
    void aMailServerMayVerifyButNotManage() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        String account = enabled.account();
        String mailServer = Tokens.mailServer();

        assertProblem(
                Api.as(mailServer)
                        .body(Map.of("code", enabled.codeAfter(1), "trustDevice", true))
                        .post("/v1/accounts/{id}/two-factor/verify", account)
                        .then(),
                403,
                "forbidden");
        verifyAs(mailServer, account, enabled.codeAfter(1)).statusCode(200).body("method", equalTo("totp"));

        assertProblem(
                Api.as(mailServer)
                        .post("/v1/accounts/{id}/two-factor/enrollment", Accounts.fresh())
                        .then(),
                403,
                "forbidden");
        assertProblem(
                Api.as(mailServer)
                        .body(Map.of("code", "123456"))
                        .post("/v1/accounts/{id}/two-factor/enrollment/confirm", account)
                        .then(),
                403,
                "forbidden");
        assertProblem(
                Api.as(mailServer)
                        .delete("/v1/accounts/{id}/two-factor", account)
                        .then(),
                403,
                "forbidden");
        assertProblem(
                Api.as(mailServer)
                        .post("/v1/accounts/{id}/two-factor/recovery-codes", account)
                        .then(),
                403,
                "forbidden");
        assertProblem(
                Api.as(mailServer).get("/v1/accounts/{id}/two-factor", account).then(), 403, "forbidden");
    }
}
