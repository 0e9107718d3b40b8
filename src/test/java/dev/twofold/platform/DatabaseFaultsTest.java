package dev.twofold.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SecretSealer;
import dev.twofold.platform.DatabaseLoad.Login;
import dev.twofold.platform.DatabaseLoad.Operation;
import dev.twofold.platform.DatabaseLoad.Outcome;
import dev.twofold.platform.DatabaseLoad.TotpAccount;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.ProxiedPostgresTestDatabase;
import dev.twofold.testing.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The database restarts, dies, slows down or freezes while mail logins, TOTP verifies and passcode
 * creations run from parallel clients. Whatever happens: no 500 and no hung request, only 503
 * {@code service-unavailable} with Retry-After while the database is away; readiness follows the
 * database; full service within 10 s of its return; nothing acknowledged is lost, nothing is done twice.
 */
@QuarkusTest
@TestProfile(DatabaseFaultsProfile.class)
class DatabaseFaultsTest {

    private static final Duration FULL_SERVICE_WITHIN = Duration.ofSeconds(10);
    /** Longest any answer may take while the database is slow or frozen: acquire + stall bounds, plus slack for busy machines. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);
    /** Requests in flight when the connections drop may still complete; later ones meet the outage. */
    private static final Duration SETTLING = Duration.ofMillis(500);

    private static final int TOTP_ACCOUNTS = 150 * DatabaseLoad.CLIENTS_PER_OPERATION;

    @Inject
    SecretSealer sealer;

    private final TcpProxy proxy = ProxiedPostgresTestDatabase.proxy();

    @AfterEach
    void healTheNetwork() {
        proxy.latency(Duration.ZERO);
        proxy.thaw();
        proxy.accept();
    }

    @Test
    void restartUnderLoadAnswers503UntilTheDatabaseIsBack() throws Exception {
        List<Outcome> outcomes;
        long down;
        long back;
        try (DatabaseLoad load = startLoad()) {
            awaitEveryOperationSucceeds(load, 0);
            down = System.nanoTime();
            proxy.dropAllAndRefuse();
            long settled = down + SETTLING.toNanos();
            awaitOrExplain(
                    load,
                    down,
                    Duration.ofSeconds(15),
                    () -> load.readinessSince(down, false)
                            && everyOperation(operation -> load.unavailableSince(operation, settled) >= 3));
            back = System.nanoTime();
            proxy.accept();
            awaitEveryOperationSucceeds(load, back);
            assertTrue(load.readinessSince(back, true), "readiness is UP again once the database is back");
            outcomes = load.outcomes();
        }
        long settled = down + SETTLING.toNanos();
        List<Outcome> duringOutage = outcomes.stream()
                .filter(o -> o.startedAt() >= settled && o.endedAt() <= back)
                .toList();
        assertTrue(duringOutage.size() >= 9, "requests ran during the outage");
        assertTrue(
                duringOutage.stream().allMatch(Outcome::unavailableWithRetryAfter),
                () -> "while the database is away every answer is 503 + Retry-After: " + summary(duringOutage));
        assertSurvived(outcomes, back);
    }

    @Test
    void terminatedBackendsUnderLoadCostAFew503sAtMost() throws Exception {
        List<Outcome> outcomes;
        long killed;
        try (DatabaseLoad load = startLoad()) {
            awaitEveryOperationSucceeds(load, 0);
            killed = System.nanoTime();
            int terminated = terminateServiceBackends();
            assertTrue(terminated >= 1, "the service's connections were terminated");
            awaitEveryOperationSucceeds(load, killed);
            outcomes = load.outcomes();
        }
        assertSurvived(outcomes, killed);
    }

    @Test
    void slowDatabaseAnswers503WithinBoundedTimeAndRecovers() throws Exception {
        List<Outcome> outcomes;
        long fast;
        try (DatabaseLoad load = startLoad()) {
            awaitEveryOperationSucceeds(load, 0);
            long slow = System.nanoTime();
            // Every packet waits longer than the stall timeout: statements cannot finish.
            proxy.latency(Duration.ofSeconds(DatabaseFaultsProfile.STALL_TIMEOUT_SECONDS + 1));
            awaitOrExplain(
                    load,
                    slow,
                    Duration.ofSeconds(20),
                    () -> everyOperation(operation -> load.unavailableSince(operation, slow) >= 2));
            fast = System.nanoTime();
            proxy.latency(Duration.ZERO);
            awaitEveryOperationSucceeds(load, fast);
            outcomes = load.outcomes();
        }
        assertAnsweredWithin(outcomes);
        assertSurvived(outcomes, fast);
    }

    /**
     * Half-open connections (nothing moves, nothing closes): what ran on them is answered 503 within
     * the stall timeout or, where the pool loses the request, the request deadline; new connections serve.
     */
    @Test
    void frozenConnectionsAreAnswered503AndThePoolRecovers() throws Exception {
        List<Outcome> outcomes;
        long frozen;
        try (DatabaseLoad load = startLoad()) {
            awaitEveryOperationSucceeds(load, 0);
            List<TcpProxy.Link> links = proxy.links();
            frozen = System.nanoTime();
            links.forEach(TcpProxy.Link::freeze);
            // Requests on a frozen connection are answered 503; others find fresh connections. Those
            // that meet one are the requests in flight now, or, if none is, the next ones, which borrow
            // the idle connections: counting only requests started after the freeze missed the first
            // kind, and each client waits for its answer before starting another.
            awaitOrExplain(
                    load,
                    frozen,
                    Duration.ofSeconds(20),
                    () -> Arrays.stream(Operation.values())
                            .anyMatch(operation -> load.unavailableAnsweredSince(operation, frozen) >= 1));
            awaitEveryOperationSucceeds(load, frozen);
            links.forEach(TcpProxy.Link::thaw);
            outcomes = load.outcomes();
        }
        assertAnsweredWithin(outcomes);
        // The database never comes back on those links: the clock starts once the deadline has answered
        // every request lost on them.
        assertSurvived(
                outcomes,
                frozen
                        + Duration.ofSeconds(DatabaseFaultsProfile.REQUEST_TIMEOUT_SECONDS)
                                .toNanos());
    }

    // ---------- fixture ----------

    private DatabaseLoad startLoad() {
        List<Login> logins = new ArrayList<>();
        for (int i = 0; i < DatabaseLoad.CLIENTS_PER_OPERATION; i++) {
            String account = Accounts.fresh();
            logins.add(
                    new Login(account, Passcodes.create(account, "Thunderbird").passcode()));
        }
        return DatabaseLoad.start(logins, enableTwoFactor(TOTP_ACCOUNTS));
    }

    /** Accounts with two-factor on, written as the service would seal them (enrolling each through the API would take minutes). */
    private List<TotpAccount> enableTwoFactor(int count) {
        SecureRandom random = new SecureRandom();
        List<TotpAccount> accounts = new ArrayList<>();
        try (Connection connection = Jdbc.connect();
                PreparedStatement insert = connection.prepareStatement("""
                insert into totp_factor (account_id, seed_ciphertext, seed_key_id, algorithm, digits,
                                         period_seconds, enabled_at, last_step)
                values (?, ?, ?, 'SHA1', 6, 30, now(), 0)""")) {
            for (int i = 0; i < count; i++) {
                String account = Accounts.fresh();
                byte[] seed = new byte[20];
                random.nextBytes(seed);
                SealedSecret sealed = sealer.seal(seed, account);
                insert.setString(1, account);
                insert.setBytes(2, sealed.ciphertext());
                insert.setString(3, sealed.keyId());
                insert.addBatch();
                accounts.add(new TotpAccount(account, seed));
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return accounts;
    }

    /** Kills every backend of the test database but this one: the service's pool and its listener. */
    private static int terminateServiceBackends() {
        return Jdbc.query("""
                select pg_terminate_backend(pid) from pg_stat_activity
                 where datname = current_database() and pid <> pg_backend_pid()""").size();
    }

    // ---------- assertions ----------

    /** Waits until every operation has succeeded repeatedly since {@code since} and since its last failure. */
    private static void awaitEveryOperationSucceeds(DatabaseLoad load, long since) {
        awaitOrExplain(load, since, Duration.ofSeconds(30), () -> {
            long lastFailure = load.outcomes().stream()
                    .filter(o -> o.startedAt() >= since && !o.succeeded())
                    .mapToLong(Outcome::endedAt)
                    .max()
                    .orElse(since);
            return everyOperation(operation -> load.successesSince(operation, lastFailure) >= 5);
        });
    }

    /** Awaits {@code condition}; on timeout, fails with what the clients got since {@code since}. */
    private static void awaitOrExplain(DatabaseLoad load, long since, Duration atMost, Callable<Boolean> condition) {
        try {
            await().atMost(atMost).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    e.getMessage() + "; answers since: "
                            + summary(load.outcomes().stream()
                                    .filter(o -> o.startedAt() >= since)
                                    .toList()),
                    e);
        }
    }

    private static boolean everyOperation(Predicate<Operation> condition) {
        for (Operation operation : Operation.values()) {
            if (!condition.test(operation)) {
                return false;
            }
        }
        return true;
    }

    /**
     * No 500, no hung request, no contract break; 503s carry Retry-After; full service within 10 s
     * of {@code back}; every acknowledged effect is in the database, none twice.
     */
    private static void assertSurvived(List<Outcome> outcomes, long back) {
        List<Outcome> broken = outcomes.stream()
                .filter(o -> !(o.succeeded() || o.unavailableWithRetryAfter() || expectedRefusal(o)))
                .toList();
        assertTrue(broken.isEmpty(), () -> "only 2xx or 503 + Retry-After: " + summary(broken));
        assertTrue(
                outcomes.stream()
                        .filter(o -> o.operation() == Operation.MAIL_LOGIN && o.succeeded())
                        .allMatch(o -> "accept".equals(o.detail())),
                "every answered login of a valid passcode is an accept");

        long fullService = outcomes.stream()
                .filter(o -> o.startedAt() >= back && !o.succeeded())
                .mapToLong(Outcome::endedAt)
                .max()
                .orElse(back);
        Duration recovery = Duration.ofNanos(fullService - back);
        List<Outcome> afterReturn =
                outcomes.stream().filter(o -> o.startedAt() >= back).toList();
        assertTrue(
                recovery.compareTo(FULL_SERVICE_WITHIN) <= 0,
                () -> "full service " + recovery + " after the database returned: " + summary(afterReturn));
        for (Operation operation : Operation.values()) {
            assertTrue(
                    outcomes.stream()
                            .anyMatch(o -> o.operation() == operation && o.startedAt() > fullService && o.succeeded()),
                    () -> operation + " succeeds after recovery: " + summary(afterReturn));
        }
        assertAcknowledgedEffectsKeptOnce(outcomes);
        await().atMost(Duration.ofSeconds(10)).until(() -> Jdbc.count("""
                select count(*) from pg_stat_activity
                 where datname = current_database() and state like 'idle in transaction%'""") == 0);
    }

    /** A TOTP code refused because a step was consumed by an answer lost in the outage (or a boundary race). */
    private static boolean expectedRefusal(Outcome outcome) {
        return outcome.operation() == Operation.TOTP_VERIFY && outcome.status() == 422;
    }

    private static void assertAcknowledgedEffectsKeptOnce(List<Outcome> outcomes) {
        List<Outcome> created = outcomes.stream()
                .filter(o -> o.operation() == Operation.PASSCODE_CREATION && o.status() == 201)
                .toList();
        for (Outcome passcode : created) {
            assertEquals(
                    1,
                    Jdbc.count(
                            "select count(*) from app_passcode where id = ?::uuid and account_id = ?"
                                    + " and name = ? and revoked_at is null",
                            passcode.createdId(),
                            passcode.account(),
                            passcode.createdName()),
                    "acknowledged passcode " + passcode.createdName() + " is stored");
        }
        assertEquals(
                0,
                Jdbc.count("select count(*) from (select account_id, name from app_passcode"
                        + " where name like 'load-%' group by account_id, name having count(*) > 1) twice"),
                "no passcode was created twice");
        for (Outcome verify : outcomes.stream()
                .filter(o -> o.operation() == Operation.TOTP_VERIFY && o.status() == 200)
                .toList()) {
            assertTrue(
                    Jdbc.count(
                                    "select count(*) from totp_factor where account_id = ? and last_step >= ?",
                                    verify.account(),
                                    verify.step())
                            == 1,
                    "accepted step of " + verify.account() + " is stored");
        }
    }

    private static void assertAnsweredWithin(List<Outcome> outcomes) {
        Duration slowest =
                outcomes.stream().map(Outcome::took).max(Duration::compareTo).orElse(Duration.ZERO);
        assertTrue(slowest.compareTo(ANSWER_WITHIN) <= 0, "slowest answer took " + slowest);
    }

    private static String summary(List<Outcome> outcomes) {
        Map<String, Long> counts = outcomes.stream()
                .collect(Collectors.groupingBy(
                        o -> o.operation() + " " + o.status() + " " + o.problemType() + " " + o.retryAfter()
                                + (o.detail() == null ? "" : " " + o.detail()),
                        Collectors.counting()));
        return counts.toString();
    }
}
