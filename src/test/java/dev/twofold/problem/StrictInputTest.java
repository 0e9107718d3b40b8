package dev.twofold.problem;

import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Forms;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Input the contract forbids is refused, never coerced or guessed, and the problem names the field:
 * 400 {@code validation-failed} with one {@code errors} entry per field as the caller wrote it.
 */
@QuarkusTest
class StrictInputTest {

    private static final String PASSCODES = "/v1/accounts/{id}/app-passcodes";
    private static final String EVENTS = "/v1/accounts/{id}/security-events";

    private final String account = Accounts.fresh();
    private final String owner = Tokens.owner(account);

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown property|{\"name\":\"Phone\",\"admin\":true}|admin|is not a property of this request",
                "value outside the enum|{\"name\":\"Phone\",\"protocols\":[\"ftp\"]}|protocols[0]|must be one of imap, pop3",
                "number for an enum|{\"name\":\"Phone\",\"protocols\":[0]}|protocols[0]|must be one of imap, pop3",
                "repeated uniqueItems item|{\"name\":\"Phone\",\"protocols\":[\"imap\",\"imap\"]}|protocols|must not contain the same item twice",
                "text that is no date-time|{\"name\":\"Phone\",\"expiresAt\":\"tomorrow\"}|expiresAt|must be an RFC 3339 date-time",
                "epoch number for a date-time|{\"name\":\"Phone\",\"expiresAt\":1900000000}|expiresAt|must be an RFC 3339 date-time",
                "number for a string|{\"name\":12345}|name|must be a string",
                "boolean for a string|{\"name\":true}|name|must be a string",
                "string for an array|{\"name\":\"Phone\",\"protocols\":\"imap\"}|protocols|must be an array",
                "number in a list of strings|{\"name\":\"Phone\",\"allowedIps\":[\"10.0.0.0/8\",7]}|allowedIps[1]|must be a string",
                "date-time in the past|{\"name\":\"Phone\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}|expiresAt|must lie in the future",
                "list element breaking its pattern|{\"name\":\"Phone\",\"allowedIps\":[\"10.0.0.0/8\",\"::1\",\"x\"]}|allowedIps[2]|must match",
                "list element that is no network|{\"name\":\"Phone\",\"allowedIps\":[\"10.0.0.0/8\",\"::1\",\"1.2.3.4/99\"]}|allowedIps[2]|is not an IPv4 or IPv6 network",
            })
    void passcodeRequestBreakingTheContractNamesTheFieldAndCreatesNothing(
            String what, String body, String field, String message) {
        invalid(
                        Api.hostile(owner)
                                .contentType("application/json")
                                .body(body)
                                .post(PASSCODES, account)
                                .then(),
                        field)
                .body("errors[0].message", containsString(message))
                .body("detail", not(containsString("12345")));
        assertEquals(0, activePasscodes());
    }

    @Test
    void numberForACodeIsRefusedNotCheckedAsACode() {
        invalid(
                Api.hostile(owner)
                        .contentType("application/json")
                        .body("{\"code\":123456}")
                        .post("/v1/accounts/{id}/two-factor/verify", account)
                        .then(),
                "code");
    }

    @Test
    void textForABooleanIsRefused() {
        invalid(
                        Api.hostile(owner)
                                .contentType("application/json")
                                .body("{\"code\":\"123456\",\"trustDevice\":\"true\"}")
                                .post("/v1/accounts/{id}/two-factor/verify", account)
                                .then(),
                        "trustDevice")
                .body("errors[0].message", containsString("must be a boolean"));
    }

    @Test
    void jsonBodyWithoutContentTypeIsA415AndCreatesNothing() {
        assertProblem(
                Api.hostile(owner)
                        .config(Api.omitting("Content-Type"))
                        .contentType("application/json")
                        .body("{\"name\":\"Phone\"}")
                        .post(PASSCODES, account)
                        .then(),
                415,
                "unsupported-media-type");
        assertEquals(0, activePasscodes());
    }

    @Test
    void unknownFormFieldOfAMailLoginIsRefused() {
        invalid(
                mailLoginForm(Forms.encode("account", account, "secret", "x", "protocol", "imap", "evil", "1")),
                "evil");
    }

    @Test
    void repeatedFormFieldOfAMailLoginIsRefused() {
        invalid(mailLoginForm("account=" + account + "&secret=a&secret=b&protocol=imap"), "secret");
    }

    @Test
    void formProtocolOutsideTheEnumIsRefused() {
        invalid(mailLoginForm(Forms.encode("account", account, "secret", "x", "protocol", "ftp")), "protocol");
    }

    @Test
    void formFieldsBreakingTheirConstraintsAreEachNamed() {
        invalid(
                mailLoginForm(
                        Forms.encode("account", account, "secret", "", "protocol", "imap", "clientIp", "not an ip")),
                "clientIp",
                "secret");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "limit=0|limit",
                "limit=201|limit",
                "limit=ten|limit",
                "type=nope|type",
                "type=lockout&type=nope|type",
                "before=not-a-cursor|before",
                "limit=ten&type=nope|limit,type",
            })
    void securityEventQueryOutsideTheContractNamesEachParameter(String query, String fields) {
        invalid(Api.hostile(owner).get(EVENTS + "?" + query, account).then(), fields.split(","));
    }

    @Test
    void introspectionWithoutTokenNamesTheToken() {
        invalid(
                Api.hostile(Tokens.mailServer())
                        .contentType("application/x-www-form-urlencoded")
                        .body(Forms.encode("token_type_hint", "access_token"))
                        .post("/v1/mail-auth/introspect")
                        .then(),
                "token");
    }

    @Test
    void enrollmentOfALongNonAsciiAccountGetsAScannableCodeWithABoundedLabel() {
        String longAccount = "€".repeat(300);
        String uri = Api.as(Tokens.owner(longAccount))
                .post("/v1/accounts/{id}/two-factor/enrollment", longAccount)
                .then()
                .statusCode(201)
                .extract()
                .path("otpauthUri");

        String label = URI.create(uri).getPath();
        assertTrue(label.startsWith("/Twofold:" + "€".repeat(84)), label);
        assertTrue(label.endsWith("…"), label);
    }

    private ValidatableResponse mailLoginForm(String body) {
        return Api.hostile(Tokens.mailServer())
                .contentType("application/x-www-form-urlencoded")
                .body(body)
                .post("/v1/mail-auth/verify")
                .then();
    }

    private static ValidatableResponse invalid(ValidatableResponse response, String... fields) {
        return assertProblem(response, 400, "validation-failed")
                .body("errors", hasSize(fields.length))
                .body("errors.field", contains(fields))
                .body("errors.message", everyItem(not(containsString("Exception"))));
    }

    private int activePasscodes() {
        return Api.as(owner)
                .get(PASSCODES, account)
                .then()
                .statusCode(200)
                .extract()
                .path("items.size()");
    }
}
