package dev.twofold.concurrency;

import static dev.twofold.concurrency.ParallelClients.CLIENTS;
import static dev.twofold.concurrency.ParallelClients.statuses;
import static dev.twofold.testing.TwoFactorSteps.code;
import static dev.twofold.testing.TwoFactorSteps.fixAtStepStart;
import static dev.twofold.testing.TwoFactorSteps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.Base32;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SecretSealer;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Base32Decoder;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every state-changing operation from {@value ParallelClients#CLIENTS} parallel clients, over real
 * HTTP: many accounts at once, and many requests on one account. No answer may be a 5xx or missing,
 * no transaction may be left open, and the data must say that each race had one defined outcome.
 */
@QuarkusTest
@TestProfile(ManyClients.class)
class ConcurrentClientsTest {

    @Inject
    TestClock clock;

    @Inject
    SecretSealer sealer;

    private final ParallelClients clients = new ParallelClients();
    private Instant now;

    @BeforeEach
    void fixClock() {
        now = fixAtStepStart(clock);
    }

    @AfterEach
    void noTransactionLeftOpen() {
        clients.close();
        clock.reset();
        ParallelClients.assertNoTransactionLeftOpen();
    }

    @Test
    void manyAccountsGoThroughEveryOperationAtOnce() {
        List<String> accounts = clients.run(CLIENTS, i -> lifecycle(Accounts.fresh()));

        for (String account : accounts) {
            assertEquals(0, Jdbc.count("select count(*) from totp_factor where account_id = ?", account));
            assertEquals(0, Jdbc.count("select count(*) from recovery_code where account_id = ?", account));
            assertEquals(
                    0,
                    Jdbc.count(
                            "select count(*) from app_passcode where account_id = ? and revoked_at is null", account));
        }
    }

    /** One user through everything, each step answered exactly as when alone. */
    private String lifecycle(String account) {
        String owner = Tokens.owner(account);
        byte[] seed = Base32Decoder.decode(expect(201, clients.as(owner).post(path(account, "two-factor/enrollment")))
                .path("secret"));
        List<String> first = expect(200, confirm(account, code(seed, now))).path("recoveryCodes");
        expect(200, verify(account, code(seed, step(now) + 1), false));
        Response trusted = expect(200, verify(account, first.get(0), true));
        expect(
                200,
                clients.as(owner)
                        .body(Map.of("deviceToken", trusted.path("deviceToken")))
                        .post(path(account, "trusted-devices/verify")));
        List<String> fresh = expect(201, regenerate(account)).path("codes");
        expect(422, verify(account, first.get(1), false));
        expect(200, verify(account, fresh.get(0), false));
        Response phone = expect(201, createPasscode(account, "Phone"));
        expect(
                200,
                clients.as(owner)
                        .body(Map.of("name", "Laptop"))
                        .patch(path(account, "app-passcodes/" + phone.path("id"))));
        expect(200, mailLogin(account, phone.path("passcode")));
        expect(204, clients.as(owner).delete(path(account, "app-passcodes/" + phone.path("id"))));
        expect(201, createPasscode(account, "Tablet"));
        expect(204, clients.as(owner).delete(path(account, "app-passcodes")));
        expect(201, createPasscode(account, "Watch"));
        expect(204, clients.as(Tokens.mailServer()).post(path(account, "password-changes")));
        expect(204, clients.as(owner).delete(path(account, "trusted-devices/" + trusted.path("trustedDeviceId"))));
        expect(204, clients.as(owner).delete(path(account, "two-factor")));
        return account;
    }

    @Test
    void ofParallelConfirmationsOfOneEnrollmentOneWins() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);

        List<Response> answers = clients.run(CLIENTS, i -> confirm(account, code(seed, now)));

        Map<Integer, Long> statuses = statuses(answers);
        assertEquals(1L, statuses.get(200), statuses::toString);
        assertTrue(Set.of(200, 409, 429).containsAll(statuses.keySet()), statuses::toString);
        assertEquals(1, Jdbc.count("select count(*) from totp_factor where account_id = ?", account));
        assertEquals(0, Jdbc.count("select count(*) from totp_enrollment where account_id = ?", account));
        List<String> shown = answers.stream()
                .filter(answer -> answer.statusCode() == 200)
                .findFirst()
                .orElseThrow()
                .path("recoveryCodes");
        assertEquals(
                10, Jdbc.count("select count(*) from recovery_code where account_id = ? and used_at is null", account));
        expect(200, verify(account, shown.get(9), false));
    }

    @Test
    void parallelEnrollmentStartsLeaveOnePendingEnrollmentThatConfirms() {
        String account = Accounts.fresh();

        List<Response> answers = clients.run(
                CLIENTS, i -> clients.as(Tokens.owner(account)).post(path(account, "two-factor/enrollment")));

        assertEquals(Map.of(201, (long) CLIENTS), statuses(answers));
        Object[] pending = Jdbc.query(
                        "select seed_key_id, seed_ciphertext from totp_enrollment where account_id = ?", account)
                .get(0);
        String stored = Base32.encode(sealer.open(new SealedSecret((String) pending[0], (byte[]) pending[1]), account));
        assertTrue(
                answers.stream().anyMatch(answer -> stored.equals(answer.path("secret"))),
                "the pending seed is one that was handed out");
        expect(200, confirm(account, code(Base32Decoder.decode(stored), now)));
    }

    @Test
    void ofParallelSignInsWithOneCodeOneSucceedsAndNoneLocksTheAccount() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);
        List<String> recovery = expect(200, confirm(account, code(seed, now))).path("recoveryCodes");

        List<Response> totp = clients.run(CLIENTS, i -> verify(account, code(seed, step(now) + 1), false));
        List<Response> codes = clients.run(CLIENTS, i -> verify(account, recovery.get(0), false));

        assertEquals(Map.of(200, 1L, 422, (long) CLIENTS - 1), statuses(totp));
        assertEquals(Map.of(200, 1L, 422, (long) CLIENTS - 1), statuses(codes));
        assertEquals(
                9, Jdbc.count("select count(*) from recovery_code where account_id = ? and used_at is null", account));
        expect(200, verify(account, recovery.get(1), false));
    }

    @Test
    void parallelSignInsWithDifferentRecoveryCodesAllSucceed() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);
        List<String> recovery = expect(200, confirm(account, code(seed, now))).path("recoveryCodes");

        List<Response> answers = clients.run(recovery.size(), i -> verify(account, recovery.get(i), false));

        assertEquals(Map.of(200, (long) recovery.size()), statuses(answers));
        assertEquals(
                Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                Set.copyOf(answers.stream()
                        .map(answer -> answer.<Integer>path("recoveryCodesRemaining"))
                        .toList()));
        assertEquals(
                0, Jdbc.count("select count(*) from recovery_code where account_id = ? and used_at is null", account));
    }

    @Test
    void parallelRegenerationsAreLimitedAndLeaveExactlyOneSet() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);
        expect(200, confirm(account, code(seed, now)));

        List<Response> answers = clients.run(CLIENTS, i -> regenerate(account));

        Map<Integer, Long> statuses = statuses(answers);
        // The confirmation issued the first set, so one of the allowance is used.
        assertEquals(
                Map.of(
                        201,
                        (long) ManyClients.REGENERATION_LIMIT - 1,
                        429,
                        (long) CLIENTS - ManyClients.REGENERATION_LIMIT + 1),
                statuses);
        answers.stream()
                .filter(answer -> answer.statusCode() == 429)
                .forEach(answer -> assertNotNull(answer.header("Retry-After")));
        assertEquals(10, Jdbc.count("select count(*) from recovery_code where account_id = ?", account));
        long working = answers.stream()
                .filter(answer -> answer.statusCode() == 201)
                .map(answer -> verify(
                                account, answer.<List<String>>path("codes").get(0), false)
                        .statusCode())
                .filter(status -> status == 200)
                .count();
        assertEquals(1, working, "only the set stored last works");
    }

    @Test
    void parallelPasscodeCreationsKeepNamesUniqueAndTheLimit() {
        String account = Accounts.fresh();

        List<Response> sameName = clients.run(CLIENTS, i -> createPasscode(account, "Phone"));
        List<Response> manyNames = clients.run(CLIENTS, i -> createPasscode(account, "Device " + i));

        assertEquals(Map.of(201, 1L, 409, (long) CLIENTS - 1), statuses(sameName));
        assertEquals(
                Map.of(
                        201,
                        (long) ManyClients.PASSCODE_LIMIT - 1,
                        422,
                        (long) CLIENTS - ManyClients.PASSCODE_LIMIT + 1),
                statuses(manyNames));
        assertEquals(
                ManyClients.PASSCODE_LIMIT,
                Jdbc.count("select count(*) from app_passcode where account_id = ? and revoked_at is null", account));
    }

    @Test
    void parallelRenamesAndRevocationsHaveOneOutcomeEach() {
        String account = Accounts.fresh();
        String owner = Tokens.owner(account);
        String first = expect(201, createPasscode(account, "First")).path("id");
        String second = expect(201, createPasscode(account, "Second")).path("id");

        List<Response> renames = clients.run(
                CLIENTS,
                i -> clients.as(owner)
                        .body(Map.of("name", "Same"))
                        .patch(path(account, "app-passcodes/" + (i % 2 == 0 ? first : second))));
        List<Response> revokes =
                clients.run(CLIENTS, i -> clients.as(owner).delete(path(account, "app-passcodes/" + first)));
        expect(201, createPasscode(account, "Third"));
        List<Response> revokeAlls = clients.run(
                CLIENTS,
                i -> i % 2 == 0
                        ? clients.as(owner).delete(path(account, "app-passcodes"))
                        : clients.as(Tokens.mailServer()).post(path(account, "password-changes")));

        Map<Integer, Long> renamed = statuses(renames);
        assertEquals(Set.of(200, 409), renamed.keySet(), renamed::toString);
        assertEquals(
                1, Jdbc.count("select count(*) from app_passcode where account_id = ? and name = 'Same'", account));
        assertEquals(Map.of(204, 1L, 404, (long) CLIENTS - 1), statuses(revokes));
        assertEquals(Map.of(204, (long) CLIENTS), statuses(revokeAlls));
        assertEquals(
                0,
                Jdbc.count("select count(*) from app_passcode where account_id = ? and revoked_at is null", account));
    }

    @Test
    void parallelUseAndForgettingOfOneTrustedDevice() {
        String account = Accounts.fresh();
        String owner = Tokens.owner(account);
        byte[] seed = enroll(account);
        List<String> recovery = expect(200, confirm(account, code(seed, now))).path("recoveryCodes");
        Response trusted = expect(200, verify(account, recovery.get(0), true));

        List<Response> uses = clients.run(
                CLIENTS,
                i -> clients.as(owner)
                        .body(Map.of("deviceToken", trusted.path("deviceToken")))
                        .post(path(account, "trusted-devices/verify")));
        List<Response> forgets = clients.run(
                CLIENTS,
                i -> clients.as(owner).delete(path(account, "trusted-devices/" + trusted.path("trustedDeviceId"))));

        assertEquals(Map.of(200, (long) CLIENTS), statuses(uses));
        assertEquals(Map.of(204, 1L, 404, (long) CLIENTS - 1), statuses(forgets));
    }

    @Test
    void parallelFirstUsesOfOnePasscodeAreAllAccepted() {
        String account = Accounts.fresh();
        String passcode = expect(201, createPasscode(account, "Phone")).path("passcode");

        List<Response> logins = clients.run(CLIENTS, i -> mailLogin(account, passcode));

        assertEquals(Map.of(200, (long) CLIENTS), statuses(logins));
        logins.forEach(login -> assertEquals("accept", login.path("decision")));
    }

    @Test
    void disablingWhileRegeneratingLeavesNoCodesBehind() {
        String account = Accounts.fresh();
        byte[] seed = enroll(account);
        expect(200, confirm(account, code(seed, now)));

        List<Response> answers = clients.run(
                CLIENTS,
                i -> i % 2 == 0
                        ? clients.as(Tokens.owner(account)).delete(path(account, "two-factor"))
                        : regenerate(account));

        Map<Integer, Long> statuses = statuses(answers);
        assertTrue(Set.of(201, 204, 409, 429).containsAll(statuses.keySet()), statuses::toString);
        assertEquals((long) CLIENTS / 2, statuses.get(204));
        assertEquals(0, Jdbc.count("select count(*) from totp_factor where account_id = ?", account));
        assertEquals(0, Jdbc.count("select count(*) from recovery_code where account_id = ?", account));
    }

    private byte[] enroll(String account) {
        return Base32Decoder.decode(
                expect(201, clients.as(Tokens.owner(account)).post(path(account, "two-factor/enrollment")))
                        .path("secret"));
    }

    private Response confirm(String account, String code) {
        return clients.as(Tokens.owner(account))
                .body(Map.of("code", code))
                .post(path(account, "two-factor/enrollment/confirm"));
    }

    private Response verify(String account, String code, boolean trustDevice) {
        Map<String, Object> body = new HashMap<>();
        body.put("code", code);
        if (trustDevice) {
            body.put("trustDevice", true);
            body.put("deviceName", "Browser");
        }
        return clients.as(Tokens.owner(account)).body(body).post(path(account, "two-factor/verify"));
    }

    private Response regenerate(String account) {
        return clients.as(Tokens.owner(account)).post(path(account, "two-factor/recovery-codes"));
    }

    private Response createPasscode(String account, String name) {
        return clients.as(Tokens.owner(account)).body(Map.of("name", name)).post(path(account, "app-passcodes"));
    }

    private Response mailLogin(String account, String passcode) {
        return clients.as(Tokens.mailServer())
                .body(Map.of("accountId", account, "secret", passcode, "protocol", "imap"))
                .post("/v1/mail-auth/verify");
    }

    private static String path(String account, String rest) {
        return "/v1/accounts/" + account + "/" + rest;
    }

    private static Response expect(int status, Response response) {
        assertEquals(status, response.statusCode(), () -> response.asString());
        return response;
    }
}
