package dev.twofold.bench;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The benchmark floors are not part of the service unless explicitly switched on (bench/run.sh does). */
@QuarkusTest
class FloorResourceTest {

    @Test
    void floorsAreNotServedByDefault() {
        for (String floor : new String[] {"echo", "echo-authenticated", "update"}) {
            given().contentType(ContentType.JSON)
                    .body("{\"accountId\":\"alice@example.test\"}")
                    .post("/bench/floors/" + floor)
                    .then()
                    .statusCode(404);
        }
    }

    @Test
    void floorsStayHiddenFromAdmins() {
        given().auth()
                .oauth2(Tokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"accountId\":\"alice@example.test\"}")
                .post("/bench/floors/update")
                .then()
                .statusCode(404)
                .body("status", equalTo(404));
    }
}
