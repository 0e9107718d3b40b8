package dev.twofold.recovery;

import dev.twofold.account.AccountId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts an account's unused codes in one statement on the raw reactive pool, for the TOTP sign-in path. */
@ApplicationScoped
class RemainingCodesStore {

    private static final String COUNT_UNUSED =
            "select count(*) from recovery_code where account_id = $1 and used_at is null";

    private final Pool pool;

    RemainingCodesStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Integer> countUnused(AccountId account) {
        return pool.preparedQuery(COUNT_UNUSED)
                .execute(Tuple.of(account.value()))
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }
}
