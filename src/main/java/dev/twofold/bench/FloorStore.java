package dev.twofold.bench;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalLong;

/**
 * The update floor's one statement, shaped like the TOTP replay guard, on {@code bench_floor}: a
 * table the benchmark creates in its throwaway database, so Twofold's own tables are never touched.
 */
@ApplicationScoped
class FloorStore {

    private static final String UPDATE = "update bench_floor set last_step = $2, failed_attempts = 0, lockouts = 0,"
            + " locked_until = null where account_id = $1 and last_step < $2 returning last_step";

    private final Pool pool;

    FloorStore(Pool pool) {
        this.pool = pool;
    }

    /** The step now stored, or empty when the row's step was not below {@code step} (or no such row). */
    Uni<OptionalLong> advance(String accountId, long step) {
        return pool.preparedQuery(UPDATE).execute(Tuple.of(accountId, step)).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            return it.hasNext() ? OptionalLong.of(it.next().getLong(0)) : OptionalLong.empty();
        });
    }
}
