package dev.twofold.testing;

import dev.twofold.totp.HashAlgorithm;
import dev.twofold.totp.Totp;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a user and their authenticator app do, over HTTP: enroll, confirm, type codes. */
public final class TwoFactorSteps {

    public static final Duration PERIOD = Duration.ofSeconds(30);

    /** An account with two-factor authentication on: its seed, first recovery codes and confirming step. */
    public record Enabled(String account, byte[] seed, List<String> recoveryCodes, long confirmedStep) {

        /** The authenticator's code {@code steps} periods after the confirming one. */
        public String codeAfter(int steps) {
            return code(seed, confirmedStep + steps);
        }
    }

    private TwoFactorSteps() {}

    /** Fixes the clock 10 s into a time step close to real time (tokens are checked against real time). */
    public static Instant fixAtStepStart(TestClock clock) {
        long step = Totp.timeStep(Instant.now(), PERIOD);
        Instant start = Instant.ofEpochSecond(step * PERIOD.toSeconds() + 10);
        clock.fix(start);
        return start;
    }

    public static long step(Instant instant) {
        return Totp.timeStep(instant, PERIOD);
    }

    public static String code(byte[] seed, long step) {
        return Totp.hotp(seed, step, 6, HashAlgorithm.SHA1);
    }

    public static String code(byte[] seed, Instant at) {
        return code(seed, Totp.timeStep(at, PERIOD));
    }

    public static ValidatableResponse startEnrollment(String account) {
        return Api.as(Tokens.owner(account))
                .post("/v1/accounts/{id}/two-factor/enrollment", account)
                .then();
    }

    /** Starts enrollment as the owner; the seed the app would store. */
    public static byte[] enroll(String account) {
        return Base32Decoder.decode(
                startEnrollment(account).statusCode(201).extract().<String>path("secret"));
    }

    public static ValidatableResponse confirm(String account, String code) {
        return Api.as(Tokens.owner(account))
                .body(Map.of("code", code))
                .post("/v1/accounts/{id}/two-factor/enrollment/confirm", account)
                .then();
    }

    /** Enrolls and confirms with the code of the clock's current step. */
    public static Enabled enable(String account, TestClock clock) {
        byte[] seed = enroll(account);
        Instant now = clock.instant();
        List<String> codes =
                confirm(account, code(seed, now)).statusCode(200).extract().path("recoveryCodes");
        return new Enabled(account, seed, codes, step(now));
    }

    public static ValidatableResponse verify(String account, String code) {
        return verifyAs(Tokens.owner(account), account, code);
    }

    public static ValidatableResponse verifyAs(String token, String account, String code) {
        return Api.as(token)
                .body(Map.of("code", code))
                .post("/v1/accounts/{id}/two-factor/verify", account)
                .then();
    }

    public static ValidatableResponse status(String account) {
        return Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200);
    }

    /** The security event types of the account, oldest first. */
    public static List<String> eventTypes(String account) {
        return TestSql.rows("select type from security_event where account_id = ? order by id", account).stream()
                .map(row -> (String) row.get("type"))
                .toList();
    }
}
