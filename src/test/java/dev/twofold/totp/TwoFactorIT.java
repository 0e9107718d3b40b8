package dev.twofold.totp;

import static dev.twofold.testing.Problems.assertProblem;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.AssertionJwt;
import dev.twofold.testing.PackagedAppSettings;
import dev.twofold.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two-factor life cycle against the packaged jar, in real time, with codes from an authenticator
 * written by someone else: {@code oathtool} from Debian's oath-toolkit.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppSettings.class)
class TwoFactorIT {

    private static final Logger LOG = Logger.getLogger(TwoFactorIT.class.getName());
    private static final long PERIOD_SECONDS = 30;

    /** Skipped where oathtool is missing, except in CI, where a skipped check would pass unseen. */
    @BeforeAll
    static void needsOathtool() {
        boolean found = System.getenv("PATH") != null
                && List.of(System.getenv("PATH").split(":")).stream()
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "oathtool")));
        if (!found && System.getenv("CI") != null) {
            throw new IllegalStateException(
                    "oathtool is not installed; deploy/local/prepare-test-machine.sh installs it");
        }
        if (!found) {
            LOG.severe("************************************************************************\n"
                    + "TwoFactorIT SKIPPED: oathtool is not installed. deploy/local/prepare-test-machine.sh installs it, or\n"
                    + "  apt-get install -y --no-install-recommends oathtool\n"
                    + "************************************************************************");
        }
        Assumptions.assumeTrue(found, "oathtool (Debian package oathtool) is not installed");
    }

    @Test
    void enrollConfirmAndSignInWithAnIndependentAuthenticator() throws Exception {
        String account = Accounts.fresh();
        ExtractableResponse<Response> started = Api.as(Tokens.owner(account))
                .post("/v1/accounts/{id}/two-factor/enrollment", account)
                .then()
                .statusCode(201)
                .extract();
        String secret = started.path("secret");
        assertTrue(started.<String>path("otpauthUri").contains("secret=" + secret + "&"));

        StepCode confirming = oathtoolNow(secret);
        List<String> recoveryCodes = Api.as(Tokens.owner(account))
                .body(Map.of("code", confirming.code()))
                .post("/v1/accounts/{id}/two-factor/enrollment/confirm", account)
                .then()
                .statusCode(200)
                .body("recoveryCodes", hasSize(10))
                .extract()
                .path("recoveryCodes");

        // The confirming step is spent; the next sign-in needs a code of a later step.
        waitForStepAfter(confirming.step());
        StepCode signIn = oathtoolNow(secret);
        Instant before = Instant.now().minusSeconds(1);
        ExtractableResponse<Response> verified = verify(account, signIn.code())
                .statusCode(200)
                .body("method", equalTo("totp"))
                .body("recoveryCodesRemaining", equalTo(10))
                .extract();
        Instant verifiedAt = OffsetDateTime.parse(verified.path("verifiedAt")).toInstant();
        assertTrue(!verifiedAt.isBefore(before) && !verifiedAt.isAfter(Instant.now()), verifiedAt.toString());
        AssertionJwt.check(verified.path("assertion"), account, "otp", verifiedAt);

        assertProblem(verify(account, signIn.code()), 422, "invalid-code");
        verify(account, recoveryCodes.get(0))
                .statusCode(200)
                .body("method", equalTo("recovery-code"))
                .body("recoveryCodesRemaining", equalTo(9));
        assertProblem(verify(account, recoveryCodes.get(0)), 422, "invalid-code");

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(204);
        assertProblem(verify(account, oathtoolNow(secret).code()), 409, "two-factor-not-enabled");
    }

    @Test
    void aSecretStoredWithOathtoolNeverWorksForAnotherAccount() throws Exception {
        String alice = Accounts.fresh();
        String bob = Accounts.fresh();
        String alicesSecret = Api.as(Tokens.owner(alice))
                .post("/v1/accounts/{id}/two-factor/enrollment", alice)
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
        Api.as(Tokens.owner(bob))
                .post("/v1/accounts/{id}/two-factor/enrollment", bob)
                .then()
                .statusCode(201);

        assertProblem(
                Api.as(Tokens.owner(bob))
                        .body(Map.of("code", oathtoolNow(alicesSecret).code()))
                        .post("/v1/accounts/{id}/two-factor/enrollment/confirm", bob)
                        .then(),
                422,
                "invalid-code");
    }

    private static ValidatableResponse verify(String account, String code) {
        return Api.as(Tokens.owner(account))
                .body(Map.of("code", code))
                .post("/v1/accounts/{id}/two-factor/verify", account)
                .then();
    }

    /** A code and the step it belongs to, taken when no step boundary passed while oathtool ran. */
    record StepCode(long step, String code) {}

    private static StepCode oathtoolNow(String secret) throws IOException, InterruptedException {
        while (true) {
            long before = Instant.now().getEpochSecond() / PERIOD_SECONDS;
            String code = oathtool(secret);
            long after = Instant.now().getEpochSecond() / PERIOD_SECONDS;
            if (before == after) {
                return new StepCode(before, code);
            }
        }
    }

    private static void waitForStepAfter(long step) {
        await("time step " + (step + 1))
                .atMost(Duration.ofSeconds(PERIOD_SECONDS + 5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().getEpochSecond() / PERIOD_SECONDS > step);
    }

    private static String oathtool(String secret) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("oathtool", "--totp", "-b", secret)
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("oathtool did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.matches("\\d{6}"), output);
        return output;
    }
}
