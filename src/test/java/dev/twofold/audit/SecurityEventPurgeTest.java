package dev.twofold.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.ConfigProblems;
import dev.twofold.testing.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class SecurityEventPurgeTest {

    @Inject
    SecurityEventPurge purge;

    @Inject
    SecurityEventLog log;

    @Inject
    TestClock clock;

    @Inject
    Pool database;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void twoReplicasPurgingAtOnceDeleteEachOldEventOnceAndKeepRecentOnes() {
        Instant now = Instant.now();
        String account = Accounts.fresh();
        for (int i = 0; i < 23; i++) {
            RecordedEvents.record(log, account, SecurityEventType.VERIFY_FAILED);
        }
        for (int i = 0; i < 5; i++) {
            RecordedEvents.record(log, account, SecurityEventType.VERIFY_SUCCEEDED);
        }
        // Aged in the database, not through the clock: this instance's scheduled purge may run at any
        // moment, and with a fixed clock its cutoff would differ and make the "replicas" stop early.
        database.preparedQuery("update security_event set occurred_at = occurred_at - make_interval(days => case type"
                        + " when 'verify-failed' then 200 else 10 end) where account_id = $1")
                .execute(Tuple.of(account))
                .await()
                .indefinitely();
        Instant cutoff = now.minus(Duration.ofDays(180));
        long oldBefore = count("select count(*) from security_event where occurred_at < $1", Tuple.of(utc(cutoff)));

        // Two replicas: separate connections, small batches so their transactions interleave.
        long deleted = Uni.combine()
                .all()
                .unis(purge.purge(cutoff, 4), purge.purge(cutoff, 4))
                .with((first, second) -> first + second)
                .await()
                .atMost(Duration.ofMinutes(1));
        // This instance's own scheduled purge may run meanwhile and take its share; a replica that
        // found the lock taken stops, so what a holder's earlier snapshot missed waits for the next
        // interval's run: this one.
        deleted += purge.purge(cutoff, 4).await().atMost(Duration.ofMinutes(1));

        assertTrue(deleted <= oldBefore, "deleted " + deleted + " of " + oldBefore + " old events");
        assertEquals(0, count("select count(*) from security_event where occurred_at < $1", Tuple.of(utc(cutoff))));
        assertEquals(
                0,
                count(
                        "select count(*) from security_event where account_id = $1 and type = 'verify-failed'",
                        Tuple.of(account)));
        assertEquals(
                5,
                count(
                        "select count(*) from security_event where account_id = $1 and type = 'verify-succeeded'",
                        Tuple.of(account)));
    }

    @Test
    void replicaLeavesThePurgeToTheOneHoldingTheLock() {
        Instant now = Instant.now();
        String account = Accounts.fresh();
        clock.fix(now.minus(Duration.ofDays(365)));
        RecordedEvents.record(log, account, SecurityEventType.LOCKOUT);
        clock.reset();
        Instant cutoff = now.minus(Duration.ofDays(180));

        SqlConnection otherReplica = database.getConnection().await().indefinitely();
        try {
            otherReplica
                    .preparedQuery("select pg_advisory_lock($1)")
                    .execute(Tuple.of(SecurityEventPurgeStore.ADVISORY_LOCK))
                    .await()
                    .indefinitely();
            assertEquals(0, purge.purge(cutoff, 10).await().atMost(Duration.ofMinutes(1)));
            assertEquals(1, count("select count(*) from security_event where account_id = $1", Tuple.of(account)));
        } finally {
            otherReplica
                    .preparedQuery("select pg_advisory_unlock($1)")
                    .execute(Tuple.of(SecurityEventPurgeStore.ADVISORY_LOCK))
                    .await()
                    .indefinitely();
            otherReplica.closeAndAwait();
        }
        purge.purge(cutoff, 10).await().atMost(Duration.ofMinutes(1));
        assertEquals(0, count("select count(*) from security_event where account_id = $1", Tuple.of(account)));
    }

    @Test
    void scheduledPurgeKeepsTheRetentionPeriod() {
        Instant now = Instant.now();
        String account = Accounts.fresh();
        clock.fix(now.minus(Duration.ofDays(181)));
        RecordedEvents.record(log, account, SecurityEventType.LOCKOUT);
        clock.fix(now.minus(Duration.ofDays(179)));
        RecordedEvents.record(log, account, SecurityEventType.TWO_FACTOR_ENABLED);
        clock.fix(now);

        purge.purgeExpired().await().atMost(Duration.ofMinutes(1));

        assertEquals(
                0,
                count(
                        "select count(*) from security_event where account_id = $1 and type = 'lockout'",
                        Tuple.of(account)));
        assertEquals(
                1,
                count(
                        "select count(*) from security_event where account_id = $1 and type = 'two-factor-enabled'",
                        Tuple.of(account)));
    }

    @Test
    void abandonedWebhookDeliveriesArePurgedWithTheEvents() {
        Instant now = Instant.now();
        database.preparedQuery(
                        "insert into webhook_delivery (id, event_id, payload, created_at, attempts, next_attempt_at, abandoned_at) "
                                + "values (gen_random_uuid(), 1, '{}', $1, 12, $1, $1), (gen_random_uuid(), 2, '{}', $2, 12, $2, $2)")
                .execute(Tuple.of(utc(now.minus(Duration.ofDays(200))), utc(now.minus(Duration.ofDays(1)))))
                .await()
                .indefinitely();

        purge.purge(now.minus(Duration.ofDays(180)), 10).await().atMost(Duration.ofMinutes(1));

        assertEquals(
                0,
                count(
                        "select count(*) from webhook_delivery where abandoned_at < $1",
                        Tuple.of(utc(now.minus(Duration.ofDays(180))))));
        assertEquals(1, count("select count(*) from webhook_delivery where event_id = 2", Tuple.tuple()));
        database.query("delete from webhook_delivery where event_id = 2")
                .execute()
                .await()
                .indefinitely();
    }

    private long count(String sql, Tuple parameters) {
        return database.preparedQuery(sql)
                .execute(parameters)
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private static java.time.OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "twofold.events.retention, 23H",
        "twofold.events.purge-interval, 0S",
        "twofold.events.purge-batch-size, 0",
        "twofold.events.purge-batch-size, 100001",
    })
    void unworkableRetentionSettingsStopTheBoot(String property, String value) {
        ConfigProblems.assertRefusedByName(EventsConfig.class, property, value);
    }
}
