package dev.twofold.mailauth.nginx;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Problems;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /v1/mail-auth/nginx} as nginx calls it, answered in headers and checked against the contract. */
@QuarkusTest
class NginxAuthResourceTest {

    private static final String PATH = "/v1/mail-auth/nginx";

    @Test
    void acceptedPasscodeReachesTheBackendWithTheBackendPasswordInsteadOfThePasscode() {
        String account = Accounts.fresh();
        String passcode = Passcodes.create(account, "Phone").passcode();

        nginx(Api.as(Tokens.mailServer()), account.toUpperCase(Locale.ROOT), passcode.replace(" ", "%20"), "imap")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "OK")
                .header("Auth-Server", "127.0.0.1")
                .header("Auth-Port", "10143")
                .header("Auth-User", account)
                .header("Auth-Pass", "test-backend-password-0123456789");
    }

    @Test
    void revokedPasscodeIsRefusedOnTheNextLogin() {
        String account = Accounts.fresh();
        Passcodes.Created created = Passcodes.create(account, "Phone");
        nginx(Api.as(Tokens.mailServer()), account, created.passcode().replace(" ", ""), "smtp")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "OK")
                .header("Auth-Port", "10587")
                .header("Auth-Server", "::1");

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/app-passcodes/{passcode}", account, created.id())
                .then()
                .statusCode(204);

        nginx(Api.as(Tokens.mailServer()), account, created.passcode().replace(" ", ""), "smtp")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password")
                .header("Auth-Error-Code", "535 5.7.8");
    }

    @Test
    void passcodeLimitedToImapIsRefusedForPop3() {
        String account = Accounts.fresh();
        String passcode =
                Passcodes.create(account, "Tablet", List.of("imap"), List.of()).passcode();

        nginx(Api.as(Tokens.mailServer()), account, passcode.replace(" ", "%20"), "pop3")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password")
                .header("Auth-Server", nullValue());
    }

    @Test
    void primaryPasswordOfAnAccountWithoutTwoFactorGoesToTheBackendUnchanged() {
        String account = Accounts.fresh();
        nginx(Api.as(Tokens.mailServer()), account.toUpperCase(Locale.ROOT), "My%20primary+password%25", "imap")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "OK")
                .header("Auth-Server", "127.0.0.1")
                .header("Auth-Port", "10143")
                .header("Auth-User", account)
                .header("Auth-Pass", nullValue());
    }

    @Test
    void backendIsChosenPerProtocol() {
        nginx(Api.as(Tokens.mailServer()), Accounts.fresh(), "password", "pop3")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "OK")
                .header("Auth-Server", "127.0.0.1")
                .header("Auth-Port", "10110");
    }

    @Test
    void smtpLoginWithoutAppPasscodeIsRefusedWithAnSmtpCode() {
        nginx(Api.as(Tokens.mailServer()), Accounts.fresh(), "password", "smtp")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password")
                .header("Auth-Wait", "3")
                .header("Auth-Error-Code", "535 5.7.8")
                .header("Auth-Server", nullValue());
    }

    @Test
    void unsupportedMethodIsRefusedNotAnHttpError() {
        Api.as(Tokens.mailServer())
                .header("Auth-Method", "cram-md5")
                .header("Auth-User", Accounts.fresh())
                .header("Auth-Pass", "digest")
                .header("Auth-Protocol", "imap")
                .header("Auth-Login-Attempt", "3")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password")
                .header("Auth-Wait", nullValue());
    }

    @Test
    void unknownProtocolIsRefusedNotAnHttpError() {
        nginx(Api.hostile(Tokens.mailServer()), Accounts.fresh(), "password", "sieve")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password");
    }

    @Test
    void clientIpThatIsNoAddressIsRefused() {
        nginx(Api.as(Tokens.mailServer()), Accounts.fresh(), "password", "imap", "mail.example.com")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "Auth-User, 1025 characters",
        "Auth-Pass, 1025 characters",
        "Auth-Method, 33 characters",
        "Client-IP, 46 characters",
        "Auth-Login-Attempt, 0",
        "Auth-Login-Attempt, first",
    })
    void headerOutsideTheContractIsRefusedInHeadersNotA400(String header, String value) {
        Map<String, String> headers = new HashMap<>(Map.of(
                "Auth-Method",
                "plain",
                "Auth-User",
                Accounts.fresh(),
                "Auth-Pass",
                "password",
                "Auth-Protocol",
                "imap",
                "Auth-Login-Attempt",
                "1",
                "Client-IP",
                "198.51.100.23"));
        headers.put(header, value.endsWith(" characters") ? "a".repeat(Integer.parseInt(value.split(" ")[0])) : value);
        Api.hostile(Tokens.mailServer())
                .headers(headers)
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password")
                .header("Auth-Wait", "3")
                .header("Auth-Server", nullValue())
                .body(equalTo(""));
    }

    @Test
    void oversizedSmtpLoginIsRefusedWithAnSmtpCode() {
        nginx(Api.hostile(Tokens.mailServer()), "a".repeat(2000), "password", "smtp")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "Invalid login or password")
                .header("Auth-Error-Code", "535 5.7.8");
    }

    @Test
    void callerWithoutTokenGetsAProblemThatNginxReadsAsATemporaryFailure() {
        Problems.assertProblem(
                        nginx(Api.anonymous(), Accounts.fresh(), "password", "imap")
                                .get(PATH)
                                .then(),
                        401,
                        "authentication-required")
                .header("Auth-Status", "Temporary server problem, try again later")
                .header("Auth-Wait", "3");
    }

    @Test
    void accountOwnerMayNotAskForLogins() {
        String account = Accounts.fresh();
        Problems.assertProblem(
                        nginx(Api.as(Tokens.owner(account)), account, "password", "imap")
                                .get(PATH)
                                .then(),
                        403,
                        "forbidden")
                .header("Auth-Status", "Temporary server problem, try again later");
    }

    @Test
    void acceptHeaderOfAnyKindDoesNotMatter() {
        String account = Accounts.fresh();
        String passcode = Passcodes.create(account, "Phone").passcode();
        // Api.hostile: the request validator expects Accept to name a type of the response body.
        nginx(Api.hostile(Tokens.mailServer()), account, passcode.replace(" ", "%20"), "imap")
                .accept("application/json")
                .get(PATH)
                .then()
                .statusCode(200)
                .header("Auth-Status", "OK");
    }

    @Test
    void bodyIsEmpty() {
        nginx(Api.as(Tokens.mailServer()), Accounts.fresh(), "password", "imap")
                .get(PATH)
                .then()
                .statusCode(200)
                .body(equalTo(""));
    }

    private static RequestSpecification nginx(RequestSpecification request, String user, String pass, String protocol) {
        return nginx(request, user, pass, protocol, "198.51.100.23");
    }

    private static RequestSpecification nginx(
            RequestSpecification request, String user, String pass, String protocol, String clientIp) {
        return request.header("Auth-Method", "plain")
                .header("Auth-User", user)
                .header("Auth-Pass", pass)
                .header("Auth-Protocol", protocol)
                .header("Auth-Login-Attempt", "1")
                .header("Client-IP", clientIp)
                .header("Client-Host", "[UNAVAILABLE]");
    }
}
