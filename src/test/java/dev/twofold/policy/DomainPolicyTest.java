package dev.twofold.policy;

import static dev.twofold.testing.Passcodes.decide;
import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Domain policies over HTTP, and each of their effects on status, mail logins and new passcodes. */
@QuarkusTest
class DomainPolicyTest {

    private static final String POLICY = "/v1/admin/domains/{domain}/policy";
    /** Inside %test.twofold.mail-auth.webmail-networks. */
    private static final String WEBMAIL_IP = "192.0.2.130";

    private static final String APP_IP = "198.51.100.23";

    @Inject
    TestClock clock;

    private final String domain = Accounts.freshDomain();
    private final String account = Accounts.freshIn(domain);
    private Instant start;

    @BeforeEach
    void fixClock() {
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(start);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void policyIsStoredWithDefaultsReadBackAndCleared() {
        set(domain.toUpperCase(java.util.Locale.ROOT), Map.of("twoFactor", "required"))
                .body("domain", equalTo(domain))
                .body("twoFactor", equalTo("required"))
                .body("enrollmentGracePeriod", equalTo("P14D"))
                .body("mailPassword", equalTo("allowed"))
                .body("twoFactorRequiredSince", equalTo(start.toString()));
        Api.as(Tokens.admin()).get(POLICY, domain).then().statusCode(200).body("twoFactor", equalTo("required"));
        Api.as(Tokens.admin()).delete(POLICY, domain).then().statusCode(204);
        assertProblem(Api.as(Tokens.admin()).get(POLICY, domain).then(), 404, "not-found");
    }

    @Test
    void replacingARequiredPolicyKeepsWhenTwoFactorBecameRequired() {
        set(domain, Map.of("twoFactor", "required"));
        clock.advance(Duration.ofDays(3));
        set(domain, Map.of("twoFactor", "required", "enrollmentGracePeriod", "PT36H"))
                .body("twoFactorRequiredSince", equalTo(start.toString()))
                .body("enrollmentGracePeriod", equalTo("PT36H"));
        set(domain, Map.of("twoFactor", "optional")).body("twoFactorRequiredSince", nullValue());
    }

    @Test
    void malformedDomainsAndDurationsAreValidationFailures() {
        assertProblem(
                Api.as(Tokens.admin())
                        .body(Map.of())
                        .put(POLICY, "-bad-.example")
                        .then(),
                400,
                "validation-failed");
        assertProblem(
                Api.as(Tokens.admin())
                        .body(Map.of("enrollmentGracePeriod", "P1M"))
                        .put(POLICY, domain)
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void requiredTwoFactorShowsTheDeadlineAndRefusesThePasswordOnlyAfterIt() {
        set(domain, Map.of("twoFactor", "required", "enrollmentGracePeriod", "P7D"));
        clock.advance(Duration.ofDays(2));
        // The account first appears two days after the policy: its grace period starts then.
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200)
                .body("policy.twoFactorRequired", equalTo(true))
                .body("policy.mailPasswordAllowed", equalTo(true))
                .body(
                        "policy.enrollmentDeadline",
                        equalTo(start.plus(Duration.ofDays(9)).toString()));
        decide(account, "primary password", "imap", APP_IP).body("decision", equalTo("use-password"));

        clock.advance(Duration.ofDays(7).plusSeconds(1));
        passwordIsRefusedExceptFromTheWebmail("imap", "two-factor-required");
    }

    @Test
    void aRequiredPolicyStartsTheGraceOfAnAccountSeenFirstAtItsMailLogin() {
        set(domain, Map.of("twoFactor", "required", "enrollmentGracePeriod", "P1D"));
        decide(account, "primary password", "pop3", APP_IP).body("decision", equalTo("use-password"));
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        nginx(account, "primary%20password").header("Auth-Status", "Invalid login or password");
        String passcode = Passcodes.create(account, "Phone").passcode();
        decide(account, passcode, "imap", APP_IP).body("decision", equalTo("accept"));
    }

    @Test
    void mailPasswordNeverRefusesThePasswordWithoutTwoFactorButNotFromTheWebmail() {
        set(domain, Map.of("mailPassword", "never"));
        Api.as(Tokens.admin())
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200)
                .body("policy.twoFactorRequired", equalTo(false))
                .body("policy.mailPasswordAllowed", equalTo(false));
        passwordIsRefusedExceptFromTheWebmail("smtp", "passcode-required");
        String passcode = Passcodes.create(account, "Phone").passcode();
        nginx(account, passcode.replace(" ", "%20")).header("Auth-Status", "OK");
    }

    @Test
    void accountsOfOtherDomainsAndWithTwoFactorOnAreUnaffected() {
        set(domain, Map.of("mailPassword", "never"));
        String elsewhere = Accounts.freshIn(Accounts.freshDomain());
        decide(elsewhere, "primary password", "imap", APP_IP)
                .body("decision", equalTo("use-password"))
                .body("reason", nullValue());
        Api.as(Tokens.owner(elsewhere))
                .get("/v1/accounts/{id}/two-factor", elsewhere)
                .then()
                .body("policy", nullValue());
        TwoFactorSteps.fixAtStepStart(clock);
        TwoFactorSteps.enable(account, clock);
        decide(account, "primary password", "imap", APP_IP).body("reason", equalTo("two-factor-required"));
    }

    @Test
    void newPasscodesStayWithinTheDomainsProtocolsCountAndLifetime() {
        set(
                domain,
                Map.of(
                        "allowedProtocols",
                        List.of("imap", "smtp"),
                        "maxAppPasscodes",
                        1,
                        "appPasscodeLifetime",
                        "P30D"));
        assertProblem(createPasscode(Map.of("name", "Any protocol")), 422, "policy-violation");
        assertProblem(createPasscode(Map.of("name", "POP", "protocols", List.of("pop3"))), 422, "policy-violation");
        Instant far = start.plus(Duration.ofDays(90));
        createPasscode(Map.of("name", "Mail", "protocols", List.of("imap"), "expiresAt", far.toString()))
                .statusCode(201)
                .body("protocols", contains("imap"))
                .body("expiresAt", equalTo(start.plus(Duration.ofDays(30)).toString()));
        assertProblem(createPasscode(Map.of("name", "Second", "protocols", List.of("smtp"))), 422, "policy-violation");
    }

    @Test
    void aHelpdeskOfOneDomainFindsNothingOfAnother() {
        set(domain, Map.of("twoFactor", "optional"));
        String helpdesk = Tokens.adminOf("a.example");
        assertProblem(Api.as(helpdesk).get(POLICY, domain).then(), 404, "not-found");
        assertProblem(Api.as(helpdesk).body(Map.of()).put(POLICY, domain).then(), 404, "not-found");
        assertProblem(Api.as(helpdesk).delete(POLICY, domain).then(), 404, "not-found");
        assertProblem(
                Api.as(helpdesk).get("/v1/accounts/{id}/two-factor", account).then(), 404, "not-found");
        String own = Accounts.freshIn("a.example");
        Api.as(helpdesk).get("/v1/accounts/{id}/two-factor", own).then().statusCode(200);
        Api.as(Tokens.adminOf(domain)).get(POLICY, domain).then().statusCode(200);
    }

    /**
     * Password logins from parallel clients (their decisions cached, as a mail server's are) while the
     * policy is set: every login that starts after the PUT answered is refused, none fails.
     */
    @Test
    void aPolicySetUnderParallelLoginsAppliesToEveryLoginStartedAfterItsAnswer() throws Exception {
        clock.reset();
        int clients = 8;
        record Login(long startedNanos, int status, String decision) {}
        List<Login> logins = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                // One account and address per client, at a mail server's pace, so the login throttle stays out of it.
                String user = Accounts.freshIn(domain);
                String address = "198.51.100." + (100 + i);
                loops.add(pool.submit(() -> {
                    while (running.get()) {
                        long started = System.nanoTime();
                        var answer = Api.as(Tokens.mailServer())
                                .body(Passcodes.login(user, "primary password", "imap", address))
                                .post("/v1/mail-auth/verify");
                        logins.add(new Login(started, answer.statusCode(), answer.path("decision")));
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            Thread.sleep(300);
            set(domain, Map.of("mailPassword", "never"));
            long answered = System.nanoTime();
            Thread.sleep(300);
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }

            List<Login> before = logins.stream()
                    .filter(login -> login.startedNanos() < answered)
                    .toList();
            List<Login> after = logins.stream()
                    .filter(login -> login.startedNanos() > answered)
                    .toList();
            assertTrue(
                    logins.stream().allMatch(login -> login.status() == 200),
                    "every login answered 200: "
                            + logins.stream().map(Login::status).distinct().toList());
            assertTrue(before.stream().anyMatch(login -> "use-password".equals(login.decision())), "allowed before");
            assertFalse(after.isEmpty(), "logins ran after the change");
            assertTrue(
                    after.stream().allMatch(login -> "reject".equals(login.decision())),
                    "refused after the PUT answered: "
                            + after.stream().map(Login::decision).distinct().toList());
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
    }

    /** At verify (with {@code reason}) and at nginx, but the webmail's own logins still use the password. */
    private void passwordIsRefusedExceptFromTheWebmail(String protocol, String reason) {
        decide(account, "primary password", protocol, APP_IP)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo(reason));
        decide(account, "primary password", protocol, WEBMAIL_IP)
                .body("decision", equalTo("use-password"))
                .body("reason", equalTo("webmail"));
        nginx(account, "primary%20password").header("Auth-Status", "Invalid login or password");
    }

    private ValidatableResponse createPasscode(Map<String, Object> body) {
        return Api.as(Tokens.owner(account))
                .body(body)
                .post("/v1/accounts/{id}/app-passcodes", account)
                .then();
    }

    private static ValidatableResponse set(String domain, Map<String, Object> body) {
        return Api.as(Tokens.admin()).body(body).put(POLICY, domain).then().statusCode(200);
    }

    private static ValidatableResponse nginx(String user, String pass) {
        return Api.as(Tokens.mailServer())
                .header("Auth-Method", "plain")
                .header("Auth-User", user)
                .header("Auth-Pass", pass)
                .header("Auth-Protocol", "imap")
                .header("Auth-Login-Attempt", "1")
                .header("Client-IP", APP_IP)
                .get("/v1/mail-auth/nginx")
                .then()
                .statusCode(200);
    }
}
