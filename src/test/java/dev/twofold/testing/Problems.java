package dev.twofold.testing;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.restassured.response.ValidatableResponse;

/** Assertions on RFC 9457 answers. */
public final class Problems {

    private Problems() {}

    /** The response is a problem+json of the given slug and status that leaks no internals. */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status, String slug) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("https://twofold.dev/problems/" + slug))
                .body("status", equalTo(status))
                .body("detail", not(containsString("Exception")))
                .body("detail", not(containsString("dev.twofold")));
    }
}
