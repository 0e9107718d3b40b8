package dev.twofold.account;

import static dev.twofold.testing.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.twofold.audit.EventOrigin;
import dev.twofold.device.IssuedDevice;
import dev.twofold.device.TrustedDeviceService;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.ContractOperations;
import dev.twofold.testing.ContractOperations.ContractOperation;
import dev.twofold.testing.Forms;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.Method;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (caller kind × operation) cell of the contract's {@code x-twofold-callers} table, called
 * with real tokens over HTTP against an account that has what the operation needs (a passcode, a
 * trusted device, two-factor on), so an admitted caller must get the operation's 2xx and a refused
 * one must fail on authorization alone. The cells come from the contract: an operation added
 * without the extension, or without a way to call it below, fails here.
 */
@QuarkusTest
class CallerMatrixTest {

    /** The kinds of caller, and the owner's two kinds of unusable sign-in time for ⚑ operations. */
    enum CallerKind {
        OWNER,
        OTHER_USER,
        ADMIN,
        MAIL_SERVER,
        /** A helpdesk whose {@code twofold_domains} name the victim's domains. */
        ADMIN_OF_THE_DOMAIN,
        /** A helpdesk of another domain: reaches neither the victim's account nor its domain's policy. */
        ADMIN_OF_ANOTHER_DOMAIN,
        ANONYMOUS,
        OWNER_SIGNED_IN_LONG_AGO,
        OWNER_SIGNED_IN_AHEAD
    }

    /** How to call an operation for a victim account: path parameters, body, headers. */
    record Call(Map<String, Object> pathParams, Object body, String contentType, Map<String, String> headers) {

        static Call on(Victim victim) {
            return new Call(Map.of("accountId", victim.account), null, null, Map.of());
        }

        static Call global() {
            return new Call(Map.of(), null, null, Map.of());
        }

        Call with(String parameter, Object value) {
            Map<String, Object> parameters = new HashMap<>(pathParams);
            parameters.put(parameter, value);
            return new Call(parameters, body, contentType, headers);
        }

        Call body(Object json) {
            return new Call(pathParams, json, contentType, headers);
        }

        Call form(String encoded) {
            return new Call(pathParams, encoded, "application/x-www-form-urlencoded", headers);
        }

        Call headers(Map<String, String> more) {
            return new Call(pathParams, body, contentType, more);
        }
    }

    /** A fresh account; what an operation needs is created on first use, as its owner would. */
    final class Victim {

        final String account = Accounts.fresh();
        /** The domain of the policy operations; never example.com, whose policy would reach other tests. */
        final String domain = Accounts.freshDomain();

        Call policyOfDomain() {
            Api.as(Tokens.admin())
                    .body(Map.of("twoFactor", "optional"))
                    .put("/v1/admin/domains/{domain}/policy", domain)
                    .then()
                    .statusCode(200);
            return Call.global().with("domain", domain);
        }

        TwoFactorSteps.Enabled twoFactorOn() {
            return TwoFactorSteps.enable(account, clock);
        }

        Passcodes.Created passcode() {
            return Passcodes.create(account, "Phone");
        }

        IssuedDevice trustedDevice() {
            try {
                return VertxContextSupport.subscribeAndAwait(() -> devices.trust(
                        AccountId.of(account), Optional.of("Laptop"), EventOrigin.web("203.0.113.9", "Firefox")));
            } catch (Throwable e) {
                throw new IllegalStateException("Could not trust a device", e);
            }
        }
    }

    private static final Map<String, Function<Victim, Call>> CALLS = Map.ofEntries(
            Map.entry("getTwoFactorStatus", Call::on),
            Map.entry("disableTwoFactor", v -> {
                v.twoFactorOn();
                return Call.on(v);
            }),
            Map.entry("startTotpEnrollment", Call::on),
            Map.entry("confirmTotpEnrollment", v -> {
                byte[] seed = TwoFactorSteps.enroll(v.account);
                return Call.on(v).body(Map.of("code", TwoFactorSteps.code(seed, TestClock.serviceNow())));
            }),
            Map.entry(
                    "verifySecondFactor",
                    v -> Call.on(v).body(Map.of("code", v.twoFactorOn().codeAfter(1)))),
            Map.entry("regenerateRecoveryCodes", v -> {
                v.twoFactorOn();
                return Call.on(v);
            }),
            Map.entry("getRecoveryCodeStatus", Call::on),
            Map.entry("createAppPasscode", v -> Call.on(v).body(Map.of("name", "Tablet"))),
            Map.entry("listAppPasscodes", Call::on),
            Map.entry("revokeAllAppPasscodes", v -> {
                v.passcode();
                return Call.on(v);
            }),
            Map.entry(
                    "getAppPasscode",
                    v -> Call.on(v).with("passcodeId", v.passcode().id())),
            Map.entry(
                    "renameAppPasscode",
                    v -> Call.on(v).with("passcodeId", v.passcode().id()).body(Map.of("name", "Tablet"))),
            Map.entry(
                    "revokeAppPasscode",
                    v -> Call.on(v).with("passcodeId", v.passcode().id())),
            Map.entry("recordPasswordChange", Call::on),
            Map.entry(
                    "verifyMailLogin",
                    v -> Call.global()
                            .body(Passcodes.login(v.account, v.passcode().passcode(), "imap", "198.51.100.9"))),
            Map.entry(
                    "introspectToken",
                    v -> Call.global().form(Forms.encode("token", v.passcode().passcode()))),
            Map.entry(
                    "authenticateNginxMailLogin",
                    v -> Call.global()
                            .headers(Map.of(
                                    "Auth-Method", "plain",
                                    "Auth-User", v.account,
                                    "Auth-Pass", v.passcode().passcode().replace(" ", "%20"),
                                    "Auth-Protocol", "imap",
                                    "Auth-Login-Attempt", "1",
                                    "Client-IP", "198.51.100.9"))),
            Map.entry(
                    "verifyTrustedDevice",
                    v -> Call.on(v).body(Map.of("deviceToken", v.trustedDevice().token()))),
            Map.entry("listTrustedDevices", Call::on),
            Map.entry("forgetAllTrustedDevices", v -> {
                v.trustedDevice();
                return Call.on(v);
            }),
            Map.entry(
                    "forgetTrustedDevice",
                    v -> Call.on(v).with("deviceId", v.trustedDevice().id())),
            Map.entry("listSecurityEvents", Call::on),
            Map.entry("rotateEncryptionKeys", v -> Call.global()),
            Map.entry("exportAccount", Call::on),
            Map.entry("eraseAccount", v -> {
                v.passcode();
                return Call.on(v);
            }),
            Map.entry("getDomainPolicy", Victim::policyOfDomain),
            Map.entry(
                    "setDomainPolicy",
                    v -> Call.global().with("domain", v.domain).body(Map.of("mailPassword", "allowed"))),
            Map.entry("clearDomainPolicy", Victim::policyOfDomain),
            Map.entry(
                    "importAccounts",
                    v -> new Call(
                            Map.of(),
                            ("{\"accountId\":\"" + v.account + "\"}\n").getBytes(StandardCharsets.UTF_8),
                            "application/x-ndjson",
                            Map.of())));

    @Inject
    TestClock clock;

    @Inject
    TrustedDeviceService devices;

    @BeforeEach
    void fixClock() {
        TwoFactorSteps.fixAtStepStart(clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static Stream<Arguments> cells() {
        List<ContractOperation> operations = ContractOperations.all();
        return operations.stream()
                .flatMap(operation -> Stream.of(CallerKind.values())
                        .filter(kind -> operation.admits("owner") || !ownerSignIn(kind))
                        .map(kind -> Arguments.of(operation, kind)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cells")
    void everyCallerKindGetsWhatTheContractSays(ContractOperation operation, CallerKind kind) {
        Function<Victim, Call> recipe = CALLS.get(operation.id());
        assertNotNull(recipe, "Say in CallerMatrixTest.CALLS how to call " + operation.id());
        Victim victim = new Victim();
        Call call = recipe.apply(victim);

        RequestSpecification request = kind == CallerKind.ANONYMOUS ? Api.anonymous() : Api.as(token(kind, victim));
        if (call.contentType() != null) {
            request.contentType(call.contentType());
        }
        if (call.body() instanceof byte[] raw) {
            // Sent as is (an NDJSON file); an Object body would be serialised as JSON.
            request.body(raw);
        } else if (call.body() != null) {
            request.body(call.body());
        }
        call.headers().forEach(request::header);
        Response response =
                request.pathParams(call.pathParams()).request(Method.valueOf(operation.method()), operation.path());

        String cell = operation.id() + " as " + kind;
        if (kind == CallerKind.ADMIN_OF_ANOTHER_DOMAIN && scopedPerLine(operation)) {
            assertEquals(operation.successStatus(), response.statusCode(), cell + ": " + response.asString());
            assertEquals(
                    "https://twofold.dev/problems/not-found",
                    response.jsonPath().getString("problem.type"),
                    cell + " must refuse the line: " + response.asString());
            return;
        }
        expected(operation, kind)
                .ifPresentOrElse(
                        problem -> {
                            assertEquals(
                                    problem.status(),
                                    response.statusCode(),
                                    cell + " must be refused: " + response.asString());
                            assertProblem(response.then(), problem.status(), problem.slug());
                        },
                        () -> assertEquals(
                                operation.successStatus(),
                                response.statusCode(),
                                cell + " is admitted, but answered " + response.asString()));
    }

    record ExpectedProblem(int status, String slug) {}

    /** Empty when the contract admits this caller, so the operation must succeed. */
    private static Optional<ExpectedProblem> expected(ContractOperation operation, CallerKind kind) {
        ExpectedProblem forbidden = new ExpectedProblem(403, "forbidden");
        return switch (kind) {
            case ANONYMOUS -> Optional.of(new ExpectedProblem(401, "authentication-required"));
            case OTHER_USER ->
                Optional.of(operation.accountScoped() ? new ExpectedProblem(404, "not-found") : forbidden);
            case OWNER -> operation.admits("owner") ? Optional.empty() : Optional.of(forbidden);
            case OWNER_SIGNED_IN_LONG_AGO, OWNER_SIGNED_IN_AHEAD ->
                operation.stepUpRequired()
                        ? Optional.of(new ExpectedProblem(403, "reauthentication-required"))
                        : Optional.empty();
            case ADMIN -> operation.admits("admin") ? Optional.empty() : Optional.of(forbidden);
            // Operations bound to no account or domain (key rotation) are for admins of every domain.
            case ADMIN_OF_THE_DOMAIN ->
                operation.admits("admin") && scoped(operation) ? Optional.empty() : Optional.of(forbidden);
            case ADMIN_OF_ANOTHER_DOMAIN ->
                !operation.admits("admin")
                        ? Optional.of(forbidden)
                        : scoped(operation)
                                ? Optional.of(new ExpectedProblem(404, "not-found"))
                                : Optional.of(forbidden);
            case MAIL_SERVER -> operation.admits("mail-server") ? Optional.empty() : Optional.of(forbidden);
        };
    }

    private String token(CallerKind kind, Victim victim) {
        return switch (kind) {
            case OWNER -> Tokens.owner(victim.account);
            case OTHER_USER -> Tokens.owner(Accounts.fresh());
            case ADMIN -> Tokens.admin();
            case MAIL_SERVER -> Tokens.mailServer();
            case ADMIN_OF_THE_DOMAIN -> Tokens.adminOf("Example.COM", victim.domain);
            case ADMIN_OF_ANOTHER_DOMAIN -> Tokens.adminOf("b.example");
            // twofold.step-up.max-age is 10 minutes; mp.jwt.verify.clock.skew 30 s.
            case OWNER_SIGNED_IN_LONG_AGO ->
                Tokens.ownerSignedInAt(victim.account, clock.instant().minus(Duration.ofMinutes(11)));
            case OWNER_SIGNED_IN_AHEAD ->
                Tokens.ownerSignedInAt(victim.account, clock.instant().plus(Duration.ofDays(11)));
            case ANONYMOUS -> throw new IllegalArgumentException("no token");
        };
    }

    /** Whether the operation names an account or a domain, which a scoped admin may or may not reach. */
    private static boolean scoped(ContractOperation operation) {
        return operation.accountScoped() || operation.path().contains("{domain}") || scopedPerLine(operation);
    }

    /** An import names its accounts in its lines: a scoped admin's reach is answered line by line. */
    private static boolean scopedPerLine(ContractOperation operation) {
        return operation.id().equals("importAccounts");
    }

    private static boolean ownerSignIn(CallerKind kind) {
        return kind == CallerKind.OWNER_SIGNED_IN_LONG_AGO || kind == CallerKind.OWNER_SIGNED_IN_AHEAD;
    }
}
