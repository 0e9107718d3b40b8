package dev.twofold.audit;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Enforces {@code twofold.events.retention}: deletes old events (and abandoned webhook deliveries)
 * in bounded batches, one short transaction each. Every batch first takes a transaction-scoped
 * PostgreSQL advisory lock without waiting; a replica that cannot get it stops, since another one
 * is purging, so replicas never queue up behind each other or delete the same rows twice.
 */
@Startup
@ApplicationScoped
class SecurityEventPurge {

    /** Names this job among advisory locks ("twofold" + 1 in ASCII). */
    static final long ADVISORY_LOCK = 0x74776f666f6c6401L;

    private static final Logger LOG = Logger.getLogger(SecurityEventPurge.class);
    private static final String LOCK = "select pg_try_advisory_xact_lock($1)";
    private static final String DELETE_EVENTS = """
            delete from security_event where id in
              (select id from security_event where occurred_at < $1 limit $2)""";
    private static final String DELETE_ABANDONED_DELIVERIES = """
            delete from webhook_delivery where id in
              (select id from webhook_delivery where abandoned_at < $1 limit $2)""";
    /** Stands for "another replica holds the lock" in a batch's result. */
    private static final int LOCKED_ELSEWHERE = -1;

    private final EventsConfig config;
    private final Pool pool;
    private final Clock clock;

    SecurityEventPurge(EventsConfig config, Pool pool, Clock clock) {
        this.config = config;
        this.pool = pool;
        this.clock = clock;
    }

    @Scheduled(every = "${twofold.events.purge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        Instant cutoff = clock.instant().minus(config.retention());
        return purge(cutoff, config.purgeBatchSize())
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Purged %d security events older than %s", deleted, cutoff);
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("Security event purge failed: %s", failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes what is older than {@code cutoff}; the number of events this call deleted. */
    Uni<Long> purge(Instant cutoff, int batchSize) {
        return purgeBatches(DELETE_EVENTS, cutoff, batchSize, 0)
                .call(() -> purgeBatches(DELETE_ABANDONED_DELIVERIES, cutoff, batchSize, 0));
    }

    private Uni<Long> purgeBatches(String delete, Instant cutoff, int batchSize, long deletedSoFar) {
        return pool.withTransaction(connection -> connection.preparedQuery(LOCK)
                        .execute(Tuple.of(ADVISORY_LOCK))
                        .flatMap(locked -> locked.iterator().next().getBoolean(0)
                                ? connection.preparedQuery(delete)
                                        .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), batchSize))
                                        .map(SqlResult::rowCount)
                                : Uni.createFrom().item(LOCKED_ELSEWHERE)))
                .flatMap(deleted -> deleted == batchSize
                        ? purgeBatches(delete, cutoff, batchSize, deletedSoFar + deleted)
                        : Uni.createFrom().item(deletedSoFar + Math.max(deleted, 0)));
    }
}
