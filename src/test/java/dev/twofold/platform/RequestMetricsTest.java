package dev.twofold.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP metrics: one series per operation, named by its path template, never by an id a caller sent. */
@QuarkusTest
class RequestMetricsTest {

    @Test
    void eachOperationIsItsOwnSeriesNamedByItsTemplate() {
        String account = Accounts.fresh();
        Passcodes.Created passcode = Passcodes.create(account, "Thunderbird");
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/app-passcodes/{pid}", account, passcode.id())
                .then()
                .statusCode(200);
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200);
        // Answered before JAX-RS matches a route: the raw path must not become a series either.
        Api.hostile(Tokens.owner(account))
                .contentType("application/json")
                .body("x".repeat(70_000))
                .post("/v1/accounts/{id}/app-passcodes", account)
                .then()
                .statusCode(413);
        Api.hostile(Tokens.owner(account))
                .get("/v1/accounts/{id}/no-such-resource", account)
                .then()
                .statusCode(404);

        List<String> series = httpServerSeries();

        assertThat(
                series,
                hasItem(allOf(
                        containsString("uri=\"/v1/accounts/{accountId}/app-passcodes/{passcodeId}\""),
                        containsString("method=\"GET\""))));
        assertThat(
                series,
                hasItem(allOf(
                        containsString("uri=\"/v1/accounts/{accountId}/app-passcodes\""),
                        containsString("method=\"POST\""),
                        containsString("status=\"201\""))));
        assertThat(series, hasItem(containsString("uri=\"/v1/accounts/{accountId}/two-factor\"")));
        String encodedAccount = URLEncoder.encode(account, StandardCharsets.UTF_8);
        assertThat(
                series,
                everyItem(allOf(
                        not(containsString("$1")),
                        not(containsString(account)),
                        not(containsString(encodedAccount)),
                        not(containsString(passcode.id().toString())))));
    }

    private static List<String> httpServerSeries() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("http_server_requests_seconds_count"))
                .toList();
    }
}
