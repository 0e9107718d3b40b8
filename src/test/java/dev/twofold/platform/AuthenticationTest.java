package dev.twofold.platform;

import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class AuthenticationTest {

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("expired", (Function<String, String>) Tokens::expired),
                Arguments.of("wrong issuer", (Function<String, String>) Tokens::wrongIssuer),
                Arguments.of("untrusted signing key", (Function<String, String>) Tokens::foreignKey),
                Arguments.of(
                        "tampered payload", (Function<String, String>) a -> Tokens.tampered(a, "mallory@example.com")),
                Arguments.of("alg none", (Function<String, String>) Tokens::unsigned),
                Arguments.of("HS256", (Function<String, String>) Tokens::hmacSigned),
                Arguments.of("not a JWT", (Function<String, String>) a -> "not-a-jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badTokenIsAnsweredWithProblem401(String kind, Function<String, String> token) {
        String account = Accounts.fresh();
        Response response =
                Api.withAuthorization("Bearer " + token.apply(account)).get("/v1/accounts/{id}/two-factor", account);
        assertProblem(response.then(), 401, "authentication-required");
        assertEquals(1, response.headers().getList("WWW-Authenticate").size());
    }

    @Test
    void missingTokenIsAnsweredWithProblem401() {
        Response response = Api.anonymous().get("/v1/accounts/{id}/two-factor", Accounts.fresh());
        assertProblem(response.then(), 401, "authentication-required");
        assertEquals("Bearer", response.header("WWW-Authenticate"));
    }

    @Test
    void anotherAccountsTokenSeesNotFound() {
        String account = Accounts.fresh();
        assertProblem(
                Api.as(Tokens.owner(Accounts.fresh()))
                        .get("/v1/accounts/{id}/two-factor", account)
                        .then(),
                404,
                "not-found");
    }

    @Test
    void ownerTokenMatchesAccountIdCaseAndSpaceInsensitively() {
        String account = Accounts.fresh();
        Api.as(Tokens.owner(account.toUpperCase(Locale.ROOT)))
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200)
                .body("accountId", equalTo(account));
    }

    @Test
    void adminReadsAnyAccount() {
        String account = Accounts.fresh();
        Api.as(Tokens.admin())
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200)
                .body("accountId", equalTo(account));
    }

    @Test
    void mailServerTokenMayNotReadAccountState() {
        assertProblem(
                Api.as(Tokens.mailServer())
                        .get("/v1/accounts/{id}/two-factor", Accounts.fresh())
                        .then(),
                403,
                "forbidden");
    }
}
