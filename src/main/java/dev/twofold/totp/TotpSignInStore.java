package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.crypto.SealedSecret;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * The sign-in path of a TOTP code as two single statements on the raw reactive pool: one read, and
 * one write that accepts the time step and records the event together. Every webmail sign-in of a
 * 2FA account runs it; through Hibernate Reactive it took six round trips and a transaction, far from
 * the benchmark's bar of half the raw-pool UPDATE rate. Refusals, rarer, keep the transactional path
 * in {@link TwoFactorService}.
 */
@ApplicationScoped
class TotpSignInStore {

    /** What checking a code needs, with the recovery codes left (for the answer) and a reserved event id. */
    record SignInFactor(SealedSecret seed, HashAlgorithm algorithm, int digits, int periodSeconds,
            Optional<Instant> lockedUntil, int recoveryCodesRemaining, long eventId) {

        @Override
        public String toString() {
            return "SignInFactor[algorithm=" + algorithm + ", digits=" + digits + ", lockedUntil=" + lockedUntil + "]";
        }
    }

    private static final String FIND = String.format(Locale.ROOT, """
            select f.seed_key_id, f.seed_ciphertext, f.algorithm, f.digits, f.period_seconds, f.locked_until,
                   (select count(*) from recovery_code r where r.account_id = f.account_id and r.used_at is null)
                       as recovery_codes_remaining,
                   %s as event_id
              from totp_factor f
             where f.account_id = $1""", SecurityEventLog.RESERVE_EVENT_ID);

    /**
     * The replay guard: a step is accepted only if it is later than every step accepted before and
     * verification is not locked; the success is recorded by the same statement.
     */
    private static final String ACCEPT_STEP = String.format(Locale.ROOT, """
            with accepted as (
                update totp_factor set last_step = $2, failed_attempts = 0, lockouts = 0, locked_until = null
                 where account_id = $1 and last_step < $2 and (locked_until is null or locked_until <= $3)
                returning account_id),
            %s
            select count(*) from accepted""", SecurityEventLog.insertWhen("accepted", 4, 5));

    private final Pool pool;

    TotpSignInStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Optional<SignInFactor>> find(AccountId account) {
        return pool.preparedQuery(FIND).execute(Tuple.of(account.value())).map(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            if (!iterator.hasNext()) {
                return Optional.empty();
            }
            Row row = iterator.next();
            return Optional.of(new SignInFactor(
                    new SealedSecret(row.getString("seed_key_id"), row.getBuffer("seed_ciphertext").getBytes()),
                    HashAlgorithm.valueOf(row.getString("algorithm")),
                    row.getShort("digits"),
                    row.getInteger("period_seconds"),
                    Optional.ofNullable(row.getOffsetDateTime("locked_until")).map(OffsetDateTime::toInstant),
                    row.getLong("recovery_codes_remaining").intValue(),
                    row.getLong("event_id")));
        });
    }

    /**
     * Accepts {@code step} if it is later than every step accepted before and verification is not
     * locked, resetting the failure counters and recording {@code success}; false if it was not.
     */
    Uni<Boolean> acceptStep(AccountId account, long step, Instant now, SecurityEventLog.EventRows success) {
        return pool.preparedQuery(ACCEPT_STEP)
                .execute(Tuple.of(account.value(), step, now.atOffset(ZoneOffset.UTC), success.event(),
                        success.deliveries()))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }
}
