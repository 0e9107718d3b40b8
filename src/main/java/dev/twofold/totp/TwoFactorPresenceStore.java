package dev.twofold.totp;

import dev.twofold.account.AccountId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether an account has two-factor authentication on, for the mail-login path: one statement on the
 * raw reactive pool, since a login without a passcode asks it (a confirmed factor row exists exactly
 * while two-factor authentication is on).
 */
@ApplicationScoped
public class TwoFactorPresenceStore {

    private static final String ENABLED = "select exists (select 1 from totp_factor where account_id = $1)";

    private final Pool pool;

    TwoFactorPresenceStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Boolean> enabled(AccountId account) {
        return pool.preparedQuery(ENABLED)
                .execute(Tuple.of(account.value()))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }
}
