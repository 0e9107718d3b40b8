package dev.twofold.problem;

import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.device.IssuedDevice;
import dev.twofold.device.TrustedDeviceService;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Contract;
import dev.twofold.testing.Forms;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the contract, called with each {@code Accept} real clients send: an operation
 * that answers JSON answers {@code application/json} or 406 before any effect; one without a body
 * ignores {@code Accept}. The operations come from the contract; each needs a {@link Scenario} here,
 * so an operation added to the contract without one fails this test.
 */
@QuarkusTest
class ContentNegotiationMatrixTest {

    /** The {@code Accept} headers tried, {@code null} meaning none at all. */
    private static final List<String> ACCEPTS =
            java.util.Arrays.asList("application/json", "application/problem+json", "*/*", null, "text/html");

    private static final String NDJSON = "application/x-ndjson";

    private static final List<String> REFUSED_BY_JSON_OPERATIONS = List.of("application/problem+json", "text/html");

    @Inject
    TestClock clock;

    @Inject
    TrustedDeviceService devices;

    /** What one operation needs: a caller, path values and body fields, and how to see its effect. */
    private record Call(
            String token,
            List<Object> pathValues,
            Map<String, Object> body,
            Map<String, String> headers,
            Consumer<Boolean> effect) {}

    private interface Scenario extends Function<ContentNegotiationMatrixTest, Call> {}

    private static final Map<String, Scenario> SCENARIOS = new HashMap<>();

    private static final String POLICY = "/v1/admin/domains/{domain}/policy";

    static {
        SCENARIOS.put("getTwoFactorStatus", test -> test.read(Accounts.fresh()));
        SCENARIOS.put("disableTwoFactor", test -> {
            String account = test.enabled().account();
            return owner(
                    account,
                    Map.of(),
                    happened -> TwoFactorSteps.status(account).body("enabled", equalTo(!happened)));
        });
        SCENARIOS.put("startTotpEnrollment", test -> {
            String account = Accounts.fresh();
            return owner(
                    account,
                    Map.of(),
                    happened -> TwoFactorSteps.status(account).body("pendingEnrollment", equalTo(happened)));
        });
        SCENARIOS.put("confirmTotpEnrollment", test -> {
            String account = Accounts.fresh();
            byte[] seed = TwoFactorSteps.enroll(account);
            return owner(
                    account,
                    Map.of("code", TwoFactorSteps.code(seed, test.clock.instant())),
                    happened -> TwoFactorSteps.status(account).body("enabled", equalTo(happened)));
        });
        SCENARIOS.put("verifySecondFactor", test -> {
            TwoFactorSteps.Enabled enabled = test.enabled();
            return owner(
                    enabled.account(),
                    Map.of("code", enabled.codeAfter(1)),
                    recorded(enabled.account(), "verify-succeeded"));
        });
        SCENARIOS.put("regenerateRecoveryCodes", test -> {
            String account = test.enabled().account();
            return owner(account, Map.of(), recorded(account, "recovery-codes-regenerated"));
        });
        SCENARIOS.put("getRecoveryCodeStatus", test -> test.read(Accounts.fresh()));
        SCENARIOS.put("createAppPasscode", test -> {
            String account = Accounts.fresh();
            return owner(
                    account,
                    Map.of(
                            "expiresAt",
                            test.clock.instant().plus(Duration.ofDays(30)).toString()),
                    happened -> assertEquals(happened ? 1 : 0, activePasscodes(account)));
        });
        SCENARIOS.put("listAppPasscodes", test -> test.read(Accounts.fresh()));
        SCENARIOS.put("revokeAllAppPasscodes", test -> {
            String account = Accounts.fresh();
            Passcodes.create(account, "Phone");
            return owner(account, Map.of(), revoked(account));
        });
        SCENARIOS.put("getAppPasscode", test -> {
            String account = Accounts.fresh();
            Passcodes.Created passcode = Passcodes.create(account, "Phone");
            return new Call(Tokens.owner(account), List.of(account, passcode.id()), Map.of(), Map.of(), happened -> {});
        });
        SCENARIOS.put("renameAppPasscode", test -> {
            String account = Accounts.fresh();
            Passcodes.Created passcode = Passcodes.create(account, "Phone");
            return new Call(
                    Tokens.owner(account),
                    List.of(account, passcode.id()),
                    Map.of(),
                    Map.of(),
                    happened -> Api.as(Tokens.owner(account))
                            .get("/v1/accounts/{id}/app-passcodes/{pid}", account, passcode.id())
                            .then()
                            .statusCode(200)
                            .body("name", equalTo(happened ? "Thunderbird on new PC" : "Phone")));
        });
        SCENARIOS.put("revokeAppPasscode", test -> {
            String account = Accounts.fresh();
            Passcodes.Created passcode = Passcodes.create(account, "Phone");
            return new Call(
                    Tokens.owner(account), List.of(account, passcode.id()), Map.of(), Map.of(), revoked(account));
        });
        SCENARIOS.put("recordPasswordChange", test -> {
            String account = Accounts.fresh();
            Passcodes.create(account, "Phone");
            return new Call(Tokens.mailServer(), List.of(account), Map.of(), Map.of(), revoked(account));
        });
        SCENARIOS.put("verifyMailLogin", test -> {
            String account = Accounts.fresh();
            String passcode = Passcodes.create(account, "Phone").passcode();
            return new Call(
                    Tokens.mailServer(),
                    List.of(),
                    Map.of("accountId", account, "secret", passcode),
                    Map.of(),
                    happened -> {});
        });
        SCENARIOS.put("introspectToken", test -> {
            String account = Accounts.fresh();
            String passcode = Passcodes.create(account, "Phone").passcode();
            return new Call(Tokens.mailServer(), List.of(), Map.of("token", passcode), Map.of(), happened -> {});
        });
        SCENARIOS.put("authenticateNginxMailLogin", test -> {
            String account = Accounts.fresh();
            String passcode = Passcodes.create(account, "Phone").passcode();
            return new Call(
                    Tokens.mailServer(),
                    List.of(),
                    Map.of(),
                    Map.of(
                            "Auth-Method",
                            "plain",
                            "Auth-User",
                            account,
                            "Auth-Pass",
                            passcode.replace(" ", "%20"),
                            "Auth-Protocol",
                            "imap"),
                    happened -> {});
        });
        SCENARIOS.put("verifyTrustedDevice", test -> {
            String account = Accounts.fresh();
            IssuedDevice device = test.trust(account);
            return owner(account, Map.of("deviceToken", device.token()), recorded(account, "trusted-device-used"));
        });
        SCENARIOS.put("listTrustedDevices", test -> test.read(Accounts.fresh()));
        SCENARIOS.put("exportAccount", test -> test.read(Accounts.fresh()));
        SCENARIOS.put("forgetAllTrustedDevices", test -> {
            String account = Accounts.fresh();
            test.trust(account);
            return owner(account, Map.of(), forgotten(account));
        });
        SCENARIOS.put("forgetTrustedDevice", test -> {
            String account = Accounts.fresh();
            IssuedDevice device = test.trust(account);
            return new Call(
                    Tokens.owner(account), List.of(account, device.id()), Map.of(), Map.of(), forgotten(account));
        });
        SCENARIOS.put("listSecurityEvents", test -> test.read(Accounts.fresh()));
        SCENARIOS.put("importAccounts", test -> {
            String account = Accounts.fresh();
            return new Call(
                    Tokens.admin(),
                    List.of(),
                    Map.of("accountId", account),
                    Map.of(),
                    recorded(account, "account-imported"));
        });
        SCENARIOS.put("eraseAccount", test -> {
            String account = Accounts.fresh();
            Passcodes.create(account, "Phone");
            return new Call(Tokens.admin(), List.of(account), Map.of(), Map.of(), revoked(account));
        });
        SCENARIOS.put("getDomainPolicy", test -> {
            String domain = withPolicy(Accounts.freshDomain());
            return new Call(Tokens.admin(), List.of(domain), Map.of(), Map.of(), happened -> {});
        });
        SCENARIOS.put("setDomainPolicy", test -> {
            String domain = Accounts.freshDomain();
            return new Call(
                    Tokens.admin(),
                    List.of(domain),
                    Map.of("mailPassword", "never"),
                    Map.of(),
                    happened -> policyOf(domain).statusCode(happened ? 200 : 404));
        });
        SCENARIOS.put("clearDomainPolicy", test -> {
            String domain = withPolicy(Accounts.freshDomain());
            return new Call(
                    Tokens.admin(),
                    List.of(domain),
                    Map.of(),
                    Map.of(),
                    happened -> policyOf(domain).statusCode(happened ? 404 : 200));
        });
        SCENARIOS.put(
                "rotateEncryptionKeys",
                test -> new Call(Tokens.admin(), List.of(), Map.of(), Map.of(), happened -> {}));
    }

    @BeforeEach
    void fixTheClock() {
        TwoFactorSteps.fixAtStepStart(clock);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    static Stream<Arguments> operationsTimesAccepts() {
        return Contract.operations().stream()
                .flatMap(operation -> ACCEPTS.stream().map(accept -> Arguments.of(operation, accept)));
    }

    @Test
    void everyOperationOfTheContractHasAScenario() {
        Contract.operations()
                .forEach(
                        operation -> assertNotNull(SCENARIOS.get(operation.id()), "no scenario for " + operation.id()));
    }

    @ParameterizedTest(name = "{0} with Accept: {1}")
    @MethodSource("operationsTimesAccepts")
    void answersPerTheContractWhateverTheClientAccepts(Contract.Operation operation, String accept) {
        Call call = SCENARIOS.get(operation.id()).apply(this);
        boolean refused = operation.answersJson() && accept != null && REFUSED_BY_JSON_OPERATIONS.contains(accept);

        ValidatableResponse response = send(operation, call, accept).then();

        if (refused) {
            assertProblem(response, 406, "not-acceptable");
        } else if (operation.answersJson()) {
            response.statusCode(operation.successStatus()).contentType("application/json");
        } else if (operation.requestType().filter(NDJSON::equals).isPresent()) {
            // A streamed NDJSON answer ignores Accept, like a body-less one.
            response.statusCode(operation.successStatus()).contentType(NDJSON);
        } else {
            response.statusCode(operation.successStatus()).body(emptyOrNullString());
        }
        if (operation.id().equals("authenticateNginxMailLogin")) {
            response.header("Auth-Status", "OK");
        }
        call.effect().accept(!refused);
    }

    private io.restassured.response.Response send(Contract.Operation operation, Call call, String accept) {
        RequestSpecification request = Api.hostile(call.token());
        if (accept == null) {
            request.config(Api.omitting("Accept"));
        } else {
            request.accept(accept);
        }
        call.headers().forEach(request::header);
        operation.requestExample().ifPresent(example -> {
            String type = operation.requestType().orElseThrow();
            Map<String, Object> body = new HashMap<>(type.equals(NDJSON) ? Map.of() : Contract.asMap(example));
            body.putAll(call.body());
            request.contentType(type);
            if (type.equals(NDJSON)) {
                Map<String, Object> line = new HashMap<>(Contract.asMap(Contract.firstNdjsonLine(example)));
                line.putAll(call.body());
                request.body(Contract.json(line).concat("\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (type.equals("application/x-www-form-urlencoded")) {
                request.body(Forms.encode(body.entrySet().stream()
                        .flatMap(field -> Stream.of(field.getKey(), String.valueOf(field.getValue())))
                        .toArray(String[]::new)));
            } else {
                request.body(body);
            }
        });
        return request.request(
                operation.method(), operation.path(), call.pathValues().toArray());
    }

    private Call read(String account) {
        return owner(account, Map.of(), happened -> {});
    }

    private TwoFactorSteps.Enabled enabled() {
        return TwoFactorSteps.enable(Accounts.fresh(), clock);
    }

    private IssuedDevice trust(String account) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> devices.trust(
                    AccountId.of(account), Optional.of("Laptop"), EventOrigin.web("203.0.113.77", "Firefox")));
        } catch (Throwable e) {
            throw new IllegalStateException("Could not trust a device", e);
        }
    }

    private static Call owner(String account, Map<String, Object> body, Consumer<Boolean> effect) {
        return new Call(Tokens.owner(account), List.of(account), body, Map.of(), effect);
    }

    private static Consumer<Boolean> recorded(String account, String eventType) {
        return happened ->
                assertEquals(happened, TwoFactorSteps.eventTypes(account).contains(eventType), eventType + " recorded");
    }

    private static Consumer<Boolean> revoked(String account) {
        return happened -> assertEquals(happened ? 0 : 1, activePasscodes(account));
    }

    private static Consumer<Boolean> forgotten(String account) {
        return happened -> {
            int trusted = Api.as(Tokens.owner(account))
                    .get("/v1/accounts/{id}/trusted-devices", account)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("items.size()");
            assertEquals(happened ? 0 : 1, trusted);
        };
    }

    private static String withPolicy(String domain) {
        Api.as(Tokens.admin())
                .body(Map.of("mailPassword", "never"))
                .put(POLICY, domain)
                .then()
                .statusCode(200);
        return domain;
    }

    private static ValidatableResponse policyOf(String domain) {
        return Api.as(Tokens.admin()).get(POLICY, domain).then();
    }

    private static int activePasscodes(String account) {
        return Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/app-passcodes", account)
                .then()
                .statusCode(200)
                .extract()
                .path("items.size()");
    }
}
