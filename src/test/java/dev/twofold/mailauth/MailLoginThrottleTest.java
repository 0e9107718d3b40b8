package dev.twofold.mailauth;

import static dev.twofold.testing.Passcodes.decide;
import static dev.twofold.testing.Passcodes.login;
import static dev.twofold.testing.Passcodes.verify;
import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed logins are throttled per (account, client network) and per client network (test defaults:
 * 10 and 100 a minute), never per account alone, and a valid passcode is never throttled.
 */
@QuarkusTest
class MailLoginThrottleTest {

    @Inject
    TestClock clock;

    @Inject
    MailLoginCache cache;

    private final String account = Accounts.fresh();
    /** Each test attacks from networks of its own, so tests never share throttle state. */
    private final String attacker = randomIpv4();

    private final String home = randomIpv4();

    @BeforeEach
    void setUp() {
        CacheSync.await(cache);
        clock.fix(Instant.now());
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void accountIsThrottledForTheFailingNetworkOnly() {
        Jdbc.enableTwoFactor(account);
        failTenTimes(account, attacker);
        assertProblem(verify(login(account, "guess 11", "imap", attacker)), 429, "too-many-attempts")
                .header("Retry-After", Integer::parseInt, greaterThan(0))
                .body("retryAfterSeconds", greaterThan(0));
        decide(account, "typo from home", "imap", home).body("reason", equalTo("two-factor-required"));
    }

    @Test
    void ownersWorkingPasscodesKeepWorkingDuringAnAttack() {
        Passcodes.Created phone = Passcodes.create(account, "Phone");
        Passcodes.Created laptop = Passcodes.create(account, "Laptop");
        Jdbc.enableTwoFactor(account);
        decide(account, phone.passcode(), "imap", home).body("decision", equalTo("accept"));

        failTenTimes(account, attacker);
        assertProblem(verify(login(account, "guess 11", "imap", attacker)), 429, "too-many-attempts");

        // From elsewhere: everything works, also a passcode never used before.
        decide(account, phone.passcode(), "imap", home).body("decision", equalTo("accept"));
        decide(account, laptop.passcode(), "imap", home).body("decision", equalTo("accept"));
        // Even behind the attacker's address, a passcode proven valid (cached) is accepted.
        decide(account, phone.passcode(), "smtp", attacker).body("decision", equalTo("accept"));
    }

    @Test
    void ownersFirstUseOfAPasscodeIsAcceptedWhileLoginsWithoutClientIpAreThrottled() {
        assertFirstUseAcceptedWhileThrottled(null);
    }

    @Test
    void ownersFirstUseOfAPasscodeIsAcceptedBehindTheAttackersAddress() {
        assertFirstUseAcceptedWhileThrottled(attacker);
    }

    @Test
    void passcodeOutsideItsScopeIsStillThrottled() {
        Passcodes.Created smtpOnly = Passcodes.create(account, "Mailer", List.of("smtp"), List.of());
        Jdbc.enableTwoFactor(account);
        failTenTimes(account, attacker);
        assertProblem(verify(login(account, smtpOnly.passcode(), "imap", attacker)), 429, "too-many-attempts");
        decide(account, smtpOnly.passcode(), "smtp", attacker).body("decision", equalTo("accept"));
    }

    @Test
    void throttleLiftsAsTheWindowPasses() {
        Jdbc.enableTwoFactor(account);
        failTenTimes(account, attacker);
        assertProblem(verify(login(account, "guess", "imap", attacker)), 429, "too-many-attempts");
        clock.fix(clock.instant().plus(Duration.ofSeconds(7)));
        decide(account, "guess", "imap", attacker).body("reason", equalTo("two-factor-required"));
        assertProblem(verify(login(account, "guess", "imap", attacker)), 429, "too-many-attempts");
    }

    @Test
    void networkIsThrottledAcrossAccounts() {
        for (int i = 0; i < 10; i++) {
            String victim = Accounts.fresh();
            Jdbc.enableTwoFactor(victim);
            failTenTimes(victim, attacker);
        }
        String next = Accounts.fresh();
        Passcodes.Created neighbours = Passcodes.create(next, "Phone");
        assertProblem(verify(login(next, "guess", "imap", attacker)), 429, "too-many-attempts");
        // A user behind the same NAT still gets in with a passcode never used before.
        decide(next, neighbours.passcode(), "imap", attacker).body("decision", equalTo("accept"));
        decide(next, "password", "imap", home).body("decision", equalTo("use-password"));
    }

    @Test
    void ipv6ClientsAreThrottledByTheirSlash64() {
        Jdbc.enableTwoFactor(account);
        String prefix =
                "2001:db8:" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1, 0xffff)) + ":7::";
        for (int i = 1; i <= 10; i++) {
            decide(account, "guess", "imap", prefix + Integer.toHexString(i)).body("decision", equalTo("reject"));
        }
        assertProblem(verify(login(account, "guess", "imap", prefix + "ff")), 429, "too-many-attempts");
    }

    private void assertFirstUseAcceptedWhileThrottled(String clientIp) {
        Passcodes.Created laptop = Passcodes.create(account, "Laptop");
        Jdbc.enableTwoFactor(account);
        failTenTimes(account, clientIp);
        assertProblem(verify(login(account, "guess 11", "imap", clientIp)), 429, "too-many-attempts");

        decide(account, laptop.passcode(), "imap", clientIp).body("decision", equalTo("accept"));
        // A passcode-shaped guess matches no row: still throttled (and it cost no Argon2).
        assertProblem(verify(login(account, "abcd efgh ijkl mnop", "imap", clientIp)), 429, "too-many-attempts");
    }

    private static void failTenTimes(String accountId, String ip) {
        for (int i = 1; i <= 10; i++) {
            decide(accountId, "guess " + i, "imap", ip).body("reason", equalTo("two-factor-required"));
        }
    }

    private static String randomIpv4() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }
}
