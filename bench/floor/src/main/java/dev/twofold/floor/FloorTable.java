package dev.twofold.floor;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Creates the update floor's own table at start: the columns, key and types of the service's
 * {@code totp_factor} (its V1 migration), so the floor's statement touches a row of the same width.
 * bench/run.sh fills it with copies of the seeded accounts' rows once both apps are up.
 */
class FloorTable {

    private static final String CREATE = """
            create table if not exists bench_floor (
                account_id       varchar(320) primary key,
                seed_ciphertext  bytea        not null,
                seed_key_id      varchar(64)  not null,
                algorithm        varchar(8)   not null,
                digits           smallint     not null,
                period_seconds   integer      not null,
                enabled_at       timestamptz  not null,
                last_step        bigint       not null,
                failed_attempts  integer      not null default 0,
                lockouts         integer      not null default 0,
                locked_until     timestamptz
            )""";

    void onStart(@Observes StartupEvent event, Pool pool) {
        pool.query(CREATE).execute().await().atMost(Duration.ofSeconds(30));
    }
}
