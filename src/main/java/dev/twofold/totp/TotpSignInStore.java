package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventStore;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.recovery.RecoveryCodeService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The sign-in path of a TOTP code as two single statements on the raw reactive pool: one read of the
 * factor, and one write that accepts the time step, records the event and counts the recovery codes
 * left (part of a success's answer) together (the event's part is written by {@link
 * SecurityEventStore}). Every webmail sign-in of a 2FA account runs it; through Hibernate Reactive it
 * took six round trips and a transaction (DESIGN "Quality bars"). Refusals, rarer, keep the
 * transactional path in {@link SecondFactorVerifier}.
 */
@ApplicationScoped
class TotpSignInStore {

    /** What checking a code needs. */
    record SignInFactor(
            SealedSecret seed, HashAlgorithm algorithm, int digits, int periodSeconds, Optional<Instant> lockedUntil) {

        @Override
        public String toString() {
            return "SignInFactor[algorithm=" + algorithm + ", digits=" + digits + ", lockedUntil=" + lockedUntil + "]";
        }
    }

    /** An accepted step, with the recovery codes left; empty when the step was not accepted. */
    record Accepted(int recoveryCodesLeft) {}

    private static final String FIND = """
            select seed_key_id, seed_ciphertext, algorithm, digits, period_seconds, locked_until
              from totp_factor
             where account_id = $1""";

    /**
     * The replay guard: a step is accepted only if it is later than every step accepted before and
     * verification is not locked.
     */
    private static final String ACCEPT_STEP = """
            update totp_factor set last_step = $2, failed_attempts = 0, lockouts = 0, locked_until = null
             where account_id = $1 and last_step < $2 and (locked_until is null or locked_until <= $3)
            returning account_id""";

    private final Pool pool;
    private final SecurityEventStore events;
    private final SecurityEventStore.RecordingChange acceptStep;

    TotpSignInStore(Pool pool, SecurityEventStore events, RecoveryCodeService recoveryCodes) {
        this.pool = pool;
        this.events = events;
        this.acceptStep =
                events.recording(ACCEPT_STEP, 3, ", " + recoveryCodes.unusedCountQuery(1) + " as recovery_codes_left");
    }

    Uni<Optional<SignInFactor>> find(AccountId account) {
        return pool.preparedQuery(FIND).execute(Tuple.of(account.value())).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            if (!found.hasNext()) {
                return Optional.empty();
            }
            Row row = found.next();
            return Optional.of(new SignInFactor(
                    new SealedSecret(
                            row.getString("seed_key_id"),
                            row.getBuffer("seed_ciphertext").getBytes()),
                    HashAlgorithm.valueOf(row.getString("algorithm")),
                    row.getShort("digits"),
                    row.getInteger("period_seconds"),
                    Optional.ofNullable(row.getOffsetDateTime("locked_until")).map(OffsetDateTime::toInstant)));
        });
    }

    /**
     * Accepts {@code step} if it is later than every step accepted before and verification is not
     * locked, resetting the failure counters and recording {@code success}; empty if it was not.
     */
    Uni<Optional<Accepted>> acceptStep(AccountId account, long step, Instant now, SecurityEventLog.EventRows success) {
        Tuple parameters = Tuple.of(account.value(), step, now.atOffset(ZoneOffset.UTC));
        return events.execute(acceptStep, parameters, success)
                .map(row -> row.getLong("changed") == 1
                        ? Optional.of(
                                new Accepted(row.getLong("recovery_codes_left").intValue()))
                        : Optional.empty());
    }
}
