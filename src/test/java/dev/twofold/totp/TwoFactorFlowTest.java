package dev.twofold.totp;

import static dev.twofold.testing.Problems.assertProblem;
import static dev.twofold.testing.TwoFactorSteps.code;
import static dev.twofold.testing.TwoFactorSteps.confirm;
import static dev.twofold.testing.TwoFactorSteps.enable;
import static dev.twofold.testing.TwoFactorSteps.enroll;
import static dev.twofold.testing.TwoFactorSteps.eventTypes;
import static dev.twofold.testing.TwoFactorSteps.fixAtStepStart;
import static dev.twofold.testing.TwoFactorSteps.startEnrollment;
import static dev.twofold.testing.TwoFactorSteps.status;
import static dev.twofold.testing.TwoFactorSteps.step;
import static dev.twofold.testing.TwoFactorSteps.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.AssertionJwt;
import dev.twofold.testing.Base32Decoder;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.TestSql;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class TwoFactorFlowTest {

    @Inject
    TestClock clock;

    private Instant start;

    @BeforeEach
    void fixClock() {
        start = fixAtStepStart(clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void enrollmentHandsOutTheSeedInEveryFormAnAppTakes() throws Exception {
        String account = Accounts.fresh();

        ExtractableResponse<Response> started = startEnrollment(account)
                .statusCode(201)
                .body("algorithm", equalTo("SHA1"))
                .body("digits", equalTo(6))
                .body("period", equalTo(30))
                .body("issuer", equalTo("Twofold"))
                .extract();

        String secret = started.path("secret");
        assertEquals(20, Base32Decoder.decode(secret).length, "a 160-bit seed");
        assertTrue(secret.matches("[A-Z2-7]{32}"), "unpadded base32");
        assertEquals(secret, started.<String>path("manualEntryKey").replace(" ", ""));
        assertTrue(started.<String>path("manualEntryKey").matches("([A-Z2-7]{4} ){7}[A-Z2-7]{4}"));
        String uri = started.path("otpauthUri");
        assertEquals(
                "otpauth://totp/Twofold:" + account.replace("@", "%40") + "?secret=" + secret
                        + "&issuer=Twofold&algorithm=SHA1&digits=6&period=30",
                uri);
        assertEquals(
                uri, QrCodeSvgTest.decode(started.path("qrCodeSvg"), Map.of()).getText());
        assertEquals(
                start.plus(Duration.ofMinutes(15)),
                OffsetDateTime.parse(started.path("expiresAt")).toInstant());
        // RFC 3339 text in UTC, never an epoch number or another offset.
        assertTrue(
                started.<String>path("expiresAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"),
                started.<String>path("expiresAt"));
        status(account).body("enabled", equalTo(false)).body("pendingEnrollment", equalTo(true));
    }

    @Test
    void enrollConfirmAndVerifyALaterCode() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);

        List<String> recoveryCodes = confirm(account, code(seed, start))
                .statusCode(200)
                .body("enabled", equalTo(true))
                .body("enabledAt", equalTo(start.toString()))
                .body("recoveryCodes", hasSize(10))
                .extract()
                .path("recoveryCodes");
        assertEquals(10, new HashSet<>(recoveryCodes).size());
        status(account)
                .body("enabled", equalTo(true))
                .body("enabledAt", equalTo(start.toString()))
                .body("pendingEnrollment", equalTo(false))
                .body("recoveryCodes.remaining", equalTo(10))
                .body("recoveryCodes.issued", equalTo(10))
                .body("lockedUntil", nullValue());

        clock.advance(Duration.ofSeconds(90));
        String assertion = verify(account, code(seed, clock.instant()))
                .statusCode(200)
                .body("method", equalTo("totp"))
                .body("verifiedAt", equalTo(clock.instant().toString()))
                .body("recoveryCodesRemaining", equalTo(10))
                .extract()
                .path("assertion");

        AssertionJwt.check(assertion, account, "otp", clock.instant());
        assertEquals(List.of("two-factor-enabled", "verify-succeeded"), eventTypes(account));
        assertEquals(
                "{\"method\": \"totp\"}",
                TestSql.row(
                                "select detail::text as detail from security_event where account_id = ? and type = 'verify-succeeded'",
                                account)
                        .get("detail"));
    }

    @Test
    void trustedDeviceFromVerificationIsForgottenWhenTwoFactorIsDisabled() {
        String account = Accounts.fresh();
        byte[] seed = enable(account, clock).seed();
        clock.advance(Duration.ofSeconds(60));
        String deviceToken = Api.as(Tokens.owner(account))
                .body(Map.of("code", code(seed, clock.instant()), "trustDevice", true, "deviceName", "Laptop"))
                .post("/v1/accounts/{id}/two-factor/verify", account)
                .then()
                .statusCode(200)
                .body("trustedDeviceId", matchesPattern("[0-9a-f-]{36}"))
                .body(
                        "trustedUntil",
                        equalTo(clock.instant().plus(Duration.ofDays(30)).toString()))
                .extract()
                .path("deviceToken");
        Api.as(Tokens.owner(account))
                .body(Map.of("deviceToken", deviceToken))
                .post("/v1/accounts/{id}/trusted-devices/verify", account)
                .then()
                .statusCode(200);

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(204);

        assertProblem(
                Api.as(Tokens.owner(account))
                        .body(Map.of("deviceToken", deviceToken))
                        .post("/v1/accounts/{id}/trusted-devices/verify", account)
                        .then(),
                422,
                "invalid-device-token");
    }

    @Test
    void turningTwoFactorOnAndOffChangesMailPasswordLoginsAtOnce() {
        String account = Accounts.fresh();
        mailLoginWithPassword(account).body("decision", equalTo("use-password"));

        enable(account, clock);
        mailLoginWithPassword(account).body("decision", equalTo("reject"));

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(204);
        mailLoginWithPassword(account).body("decision", equalTo("use-password"));
    }

    private static io.restassured.response.ValidatableResponse mailLoginWithPassword(String account) {
        return Api.as(Tokens.mailServer())
                .body(Map.of("accountId", account, "secret", "correct horse battery", "protocol", "imap"))
                .post("/v1/mail-auth/verify")
                .then()
                .statusCode(200);
    }

    @Test
    void codeMayBeTypedWithSpaces() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);
        String code = code(seed, start);

        confirm(account, code.substring(0, 3) + " " + code.substring(3)).statusCode(200);
    }

    @Test
    void confirmingCodeCannotBeReplayedAsASignIn() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);

        assertProblem(verify(enabled.account(), enabled.codeAfter(0)), 422, "invalid-code");
        verify(enabled.account(), enabled.codeAfter(1)).statusCode(200);
    }

    @Test
    void verifyRejectsReplayedCode() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        clock.advance(Duration.ofSeconds(30));
        String code = enabled.codeAfter(1);

        verify(enabled.account(), code).statusCode(200);
        assertProblem(verify(enabled.account(), code), 422, "invalid-code");
        // An earlier step of the window is no better once a later one was accepted.
        assertProblem(verify(enabled.account(), enabled.codeAfter(0)), 422, "invalid-code");
    }

    @Test
    void concurrentRequestsWithOneCodeLetExactlyOneThrough() throws Exception {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        clock.advance(Duration.ofSeconds(30));
        String code = enabled.codeAfter(1);
        String token = Tokens.owner(enabled.account());
        int requests = 16;
        CountDownLatch ready = new CountDownLatch(requests);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Callable<Integer> attempt = () -> {
                    ready.countDown();
                    go.await();
                    return TwoFactorSteps.verifyAs(token, enabled.account(), code)
                            .extract()
                            .statusCode();
                };
                statuses.add(pool.submit(attempt));
            }
            ready.await();
            go.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get());
            }

            assertEquals(1, answered.stream().filter(status -> status == 200).count(), answered.toString());
            assertEquals(
                    requests - 1,
                    answered.stream().filter(status -> status == 422).count(),
                    answered.toString());
        } finally {
            pool.shutdownNow();
        }
        // Double submits are no guesses: they neither lock the account nor leave failures behind.
        status(enabled.account()).body("lockedUntil", nullValue());
        assertEquals(
                0,
                ((Number) TestSql.row("select failed_attempts from totp_factor where account_id = ?", enabled.account())
                                .get("failed_attempts"))
                        .intValue());
    }

    @ParameterizedTest(name = "{0} steps from now: accepted {1}")
    @CsvSource({"-2, false", "-1, true", "0, true", "1, true", "2, false"})
    void verificationAcceptsOneStepOfDriftEitherWay(int offset, boolean accepted) {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        clock.advance(Duration.ofMinutes(5));
        String code = code(enabled.seed(), step(clock.instant()) + offset);

        if (accepted) {
            verify(enabled.account(), code).statusCode(200);
        } else {
            assertProblem(verify(enabled.account(), code), 422, "invalid-code");
        }
    }

    @Test
    void everyRefusedCodeGetsTheSameAnswer() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        clock.advance(Duration.ofSeconds(30));
        verify(enabled.account(), enabled.codeAfter(1)).statusCode(200);
        String used = enabled.recoveryCodes().get(0);
        verify(enabled.account(), used).statusCode(200);

        // Four counted failures (the fifth would lock) and a replay, which is not counted.
        List<String> refused = List.of(
                enabled.codeAfter(1), // replayed
                enabled.codeAfter(-5), // expired
                "abcdefg", // neither form
                "zzzzz-zzzzz", // unknown recovery code
                used); // recovery code used before
        for (String code : refused) {
            assertProblem(verify(enabled.account(), code), 422, "invalid-code")
                    .body("detail", equalTo("The code is not valid."))
                    .body("title", equalTo("Invalid code"));
        }
    }

    @Test
    void reEnrollmentReplacesThePendingSeed() {
        String account = Accounts.fresh();
        byte[] first = enroll(account);
        byte[] second = enroll(account);

        assertProblem(confirm(account, code(first, start)), 422, "invalid-code");
        confirm(account, code(second, start)).statusCode(200);
    }

    @Test
    void enrollmentIsRefusedWhileTwoFactorIsOn() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);

        assertProblem(startEnrollment(enabled.account()), 409, "already-enabled");
        assertProblem(confirm(enabled.account(), enabled.codeAfter(1)), 409, "no-pending-enrollment");
    }

    @Test
    void pendingEnrollmentExpires() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);

        clock.advance(Duration.ofMinutes(15));

        assertProblem(confirm(account, code(seed, clock.instant())), 409, "no-pending-enrollment");
        status(account).body("enabled", equalTo(false)).body("pendingEnrollment", equalTo(false));
    }

    @Test
    void confirmationWithoutEnrollmentIsAConflict() {
        assertProblem(confirm(Accounts.fresh(), "123456"), 409, "no-pending-enrollment");
    }

    @Test
    void fiveWrongConfirmationCodesDiscardTheEnrollment() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);
        String wrong = code(seed, step(start) + 10);

        for (int i = 0; i < 5; i++) {
            assertProblem(confirm(account, wrong), 422, "invalid-code");
        }

        assertProblem(confirm(account, code(seed, start)), 409, "no-pending-enrollment");
        enroll(account);
    }

    @Test
    void verificationNeedsTwoFactorOn() {
        assertProblem(verify(Accounts.fresh(), "123456"), 409, "two-factor-not-enabled");
    }

    @Test
    void disablingDestroysSeedEnrollmentAndRecoveryCodes() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        String account = enabled.account();

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(204);

        status(account)
                .body("enabled", equalTo(false))
                .body("pendingEnrollment", equalTo(false))
                .body("recoveryCodes.remaining", equalTo(0))
                .body("recoveryCodes.issued", equalTo(0));
        assertProblem(verify(account, enabled.codeAfter(1)), 409, "two-factor-not-enabled");
        assertProblem(verify(account, enabled.recoveryCodes().get(0)), 409, "two-factor-not-enabled");
        for (String table : List.of("totp_factor", "totp_enrollment", "recovery_code")) {
            assertEquals(List.of(), TestSql.rows("select 1 from " + table + " where account_id = ?", account), table);
        }
        assertEquals(
                "two-factor-disabled",
                eventTypes(account).get(eventTypes(account).size() - 1));
    }

    @Test
    void disablingAlsoDropsAPendingEnrollmentAndIsIdempotent() {
        String account = Accounts.fresh();
        enroll(account);

        for (int i = 0; i < 2; i++) {
            Api.as(Tokens.owner(account))
                    .delete("/v1/accounts/{id}/two-factor", account)
                    .then()
                    .statusCode(204);
        }

        status(account).body("pendingEnrollment", equalTo(false));
        assertEquals(List.of(), eventTypes(account), "nothing was on, so nothing to report");
    }

    @Test
    void adminResetIsRecordedAsSuch() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);

        Api.as(Tokens.admin())
                .delete("/v1/accounts/{id}/two-factor", enabled.account())
                .then()
                .statusCode(204);

        status(enabled.account()).body("enabled", equalTo(false));
        List<String> types = eventTypes(enabled.account());
        assertEquals("two-factor-reset", types.get(types.size() - 1));
    }

    @Test
    void verificationsAreCountedByOutcomeAndMethod() {
        TwoFactorSteps.Enabled enabled = enable(Accounts.fresh(), clock);
        verify(enabled.account(), enabled.codeAfter(1)).statusCode(200);
        assertProblem(verify(enabled.account(), enabled.codeAfter(1)), 422, "invalid-code");

        String metrics =
                RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();

        assertTrue(metricValue(metrics, "totp", "ok") >= 1, metrics);
        assertTrue(metricValue(metrics, "totp", "invalid") >= 1, metrics);
    }

    static double metricValue(String metrics, String method, String outcome) {
        Matcher m = Pattern.compile("twofold_second_factor_verifications_total\\{(?=[^}]*method=\"" + method
                        + "\")(?=[^}]*outcome=\"" + outcome + "\")[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
