package dev.twofold.floor;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Creates the update floor's own table at start, {@code bench_floor}: the columns, key and indexes of
 * the service's {@code totp_factor} as they are in the benchmark's database (the service starts first
 * and migrates it), so the floor's statement touches a row of the same shape even when that table
 * changes. bench/run.sh fills it with copies of the seeded accounts' rows; Twofold never reads it.
 */
class FloorTable {

    private static final String CREATE = "create table if not exists bench_floor (like totp_factor including all)";

    void onStart(@Observes StartupEvent event, Pool pool) {
        pool.query(CREATE).execute().await().atMost(Duration.ofSeconds(30));
    }
}
