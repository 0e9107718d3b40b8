package dev.twofold.testing;

import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** App passcodes created through the API, as their owner would. */
public final class Passcodes {

    /** A created passcode: its id and the passcode exactly as shown to the user. */
    public record Created(UUID id, String name, String passcode) {}

    private Passcodes() {}

    public static Created create(String accountId, String name) {
        return create(accountId, Map.of("name", name));
    }

    public static Created create(String accountId, String name, List<String> protocols, List<String> allowedIps) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        if (!protocols.isEmpty()) {
            body.put("protocols", protocols);
        }
        if (!allowedIps.isEmpty()) {
            body.put("allowedIps", allowedIps);
        }
        return create(accountId, body);
    }

    public static Created create(String accountId, Map<String, Object> body) {
        ExtractableResponse<Response> response = Api.as(Tokens.owner(accountId))
                .body(body)
                .post("/v1/accounts/{id}/app-passcodes", accountId)
                .then()
                .statusCode(201)
                .extract();
        return new Created(UUID.fromString(response.path("id")), response.path("name"), response.path("passcode"));
    }

    /** Asks, as a mail server, for a decision; the response is checked against the contract. */
    public static ValidatableResponse verify(Map<String, Object> login) {
        return Api.as(Tokens.mailServer())
                .body(login)
                .post("/v1/mail-auth/verify")
                .then();
    }

    /** Asks for a decision and expects one (200). */
    public static ValidatableResponse decide(String accountId, String secret, String protocol, String clientIp) {
        return verify(login(accountId, secret, protocol, clientIp)).statusCode(200);
    }

    public static Map<String, Object> login(String accountId, String secret, String protocol, String clientIp) {
        Map<String, Object> body = new HashMap<>();
        body.put("accountId", accountId);
        body.put("secret", secret);
        body.put("protocol", protocol);
        if (clientIp != null) {
            body.put("clientIp", clientIp);
        }
        return body;
    }
}
