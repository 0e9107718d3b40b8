package dev.twofold.audit;

import dev.twofold.platform.Maintenance;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalInt;

/**
 * The purge's deletes, one short transaction per batch on the maintenance pool (finding a batch may
 * scan much of a large table, longer than the stall timeout allows). Every batch first
 * takes a transaction-scoped PostgreSQL advisory lock without waiting, so replicas never queue up
 * behind each other or delete the same rows twice.
 */
@ApplicationScoped
class SecurityEventPurgeStore {

    /** Names the purge among advisory locks ("twofold" + 1 in ASCII). */
    static final long ADVISORY_LOCK = 0x74776f666f6c6401L;

    /** What a batch deletes. */
    enum Purged {
        EVENTS("""
                delete from security_event where id in
                  (select id from security_event where occurred_at < $1 limit $2)"""),
        ABANDONED_DELIVERIES("""
                delete from webhook_delivery where id in
                  (select id from webhook_delivery where abandoned_at < $1 limit $2)""");

        private final String delete;

        Purged(String delete) {
            this.delete = delete;
        }
    }

    private static final String LOCK = "select pg_try_advisory_xact_lock($1)";

    private final Pool pool;

    SecurityEventPurgeStore(@Maintenance Pool pool) {
        this.pool = pool;
    }

    /** Deletes up to {@code batchSize} rows older than {@code cutoff}: how many, or empty if another replica is purging. */
    Uni<OptionalInt> deleteBatch(Purged what, Instant cutoff, int batchSize) {
        return pool.withTransaction(connection -> connection
                .preparedQuery(LOCK)
                .execute(Tuple.of(ADVISORY_LOCK))
                .flatMap(locked -> locked.iterator().next().getBoolean(0)
                        ? connection
                                .preparedQuery(what.delete)
                                .execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), batchSize))
                                .map(SqlResult::rowCount)
                                .map(OptionalInt::of)
                        : Uni.createFrom().item(OptionalInt.empty())));
    }
}
