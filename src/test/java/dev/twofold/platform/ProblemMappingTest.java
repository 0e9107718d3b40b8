package dev.twofold.platform;

import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Hostile and sloppy input gets a precise 4xx problem, never a 500 or a stack trace. */
@QuarkusTest
class ProblemMappingTest {

    private final String account = Accounts.fresh();
    private final String token = Tokens.owner(account);

    @Test
    void malformedJsonIsA400() {
        assertProblem(
                Api.hostile(token)
                        .contentType("application/json")
                        .body("{\"code\": ")
                        .post("/v1/accounts/{id}/two-factor/verify", account)
                        .then(),
                400,
                "malformed-request");
    }

    @Test
    void wrongJsonTypeIsA400NamingTheFieldWithoutEchoingInput() {
        assertProblem(
                        Api.hostile(token)
                                .contentType("application/json")
                                .body("{\"code\": {\"secret\": \"hunter2\"}}")
                                .post("/v1/accounts/{id}/two-factor/verify", account)
                                .then(),
                        400,
                        "validation-failed")
                .body("errors.field", contains("code"))
                .body("detail", not(containsString("hunter2")))
                .body("errors[0].message", not(containsString("hunter2")));
    }

    @Test
    void unknownPropertyIsA400NamingIt() {
        assertProblem(
                        Api.hostile(token)
                                .contentType("application/json")
                                .body("{\"code\":\"123456\",\"admin\":true}")
                                .post("/v1/accounts/{id}/two-factor/verify", account)
                                .then(),
                        400,
                        "validation-failed")
                .body("errors.field", contains("admin"));
    }

    @Test
    void missingRequiredFieldIsA400ValidationProblem() {
        assertProblem(
                Api.hostile(token)
                        .contentType("application/json")
                        .body("{}")
                        .post("/v1/accounts/{id}/two-factor/verify", account)
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void emptyBodyIsA400() {
        assertProblem(
                Api.hostile(token)
                        .contentType("application/json")
                        .post("/v1/accounts/{id}/two-factor/verify", account)
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void wrongMediaTypeIsA415() {
        assertProblem(
                Api.hostile(token)
                        .contentType("text/plain")
                        .body("123456")
                        .post("/v1/accounts/{id}/two-factor/verify", account)
                        .then(),
                415,
                "unsupported-media-type");
    }

    @Test
    void unknownPathIsA404() {
        assertProblem(Api.hostile(token).get("/v1/nothing-here").then(), 404, "not-found");
    }

    @Test
    void wrongMethodIsA405() {
        assertProblem(
                Api.hostile(token).put("/v1/accounts/{id}/two-factor", account).then(), 405, "method-not-allowed");
    }

    @Test
    void nulByteInAccountIdIsA400() {
        assertProblem(
                Api.hostile(token)
                        .urlEncodingEnabled(false)
                        .get("/v1/accounts/bad%00id/two-factor")
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void tabInAccountIdIsA400() {
        assertProblem(
                Api.hostile(Tokens.admin())
                        .get("/v1/accounts/{id}/two-factor", "bad\tid")
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void overlongAccountIdIsA400() {
        assertProblem(
                Api.hostile(Tokens.admin())
                        .get("/v1/accounts/{id}/two-factor", "a".repeat(321))
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void oversizedBodyIsA413() {
        String huge = "{\"code\":\"" + "1".repeat(200_000) + "\"}";
        assertProblem(
                Api.hostile(token)
                        .contentType("application/json")
                        .body(huge)
                        .post("/v1/accounts/{id}/two-factor/verify", account)
                        .then(),
                413,
                "payload-too-large");
    }
}
