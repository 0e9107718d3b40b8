package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventStore;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.recovery.RecoveryCodeService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * The sign-in path of a TOTP code as two single statements on the raw reactive pool: one read (with
 * the recovery codes left, part of a success's answer), and one write that accepts the time step and
 * records the event together (the event's part of both is written by {@link SecurityEventStore}).
 * Every webmail sign-in of a 2FA account runs it; through Hibernate Reactive it took six round trips
 * and a transaction (DESIGN "Quality bars"). Refusals, rarer, keep the transactional path in
 * {@link SecondFactorVerifier}.
 */
@ApplicationScoped
class TotpSignInStore {

    /** What checking a code needs, with a reserved event id. */
    record SignInFactor(
            SealedSecret seed,
            HashAlgorithm algorithm,
            int digits,
            int periodSeconds,
            Optional<Instant> lockedUntil,
            int recoveryCodesLeft,
            long eventId) {

        @Override
        public String toString() {
            return "SignInFactor[algorithm=" + algorithm + ", digits=" + digits + ", lockedUntil=" + lockedUntil + "]";
        }
    }

    /** With {@code %s}, the recovery codes left (counted by their owner), needed only by a success. */
    private static final String FIND = """
            select seed_key_id, seed_ciphertext, algorithm, digits, period_seconds, locked_until,
                   %s as recovery_codes_left
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

    private final SecurityEventStore events;
    private final String find;

    TotpSignInStore(SecurityEventStore events, RecoveryCodeService recoveryCodes) {
        this.events = events;
        this.find = String.format(Locale.ROOT, FIND, recoveryCodes.unusedCountQuery(1));
    }

    Uni<Optional<SignInFactor>> find(AccountId account) {
        return events.findReservingEventId(find, Tuple.of(account.value()))
                .map(found -> found.map(reserved -> {
                    Row row = reserved.row();
                    return new SignInFactor(
                            new SealedSecret(
                                    row.getString("seed_key_id"),
                                    row.getBuffer("seed_ciphertext").getBytes()),
                            HashAlgorithm.valueOf(row.getString("algorithm")),
                            row.getShort("digits"),
                            row.getInteger("period_seconds"),
                            Optional.ofNullable(row.getOffsetDateTime("locked_until"))
                                    .map(OffsetDateTime::toInstant),
                            row.getLong("recovery_codes_left").intValue(),
                            reserved.eventId());
                }));
    }

    /**
     * Accepts {@code step} if it is later than every step accepted before and verification is not
     * locked, resetting the failure counters and recording {@code success}; false if it was not.
     */
    Uni<Boolean> acceptStep(AccountId account, long step, Instant now, SecurityEventLog.EventRows success) {
        Tuple parameters = Tuple.of(account.value(), step, now.atOffset(ZoneOffset.UTC));
        return events.changeRecording(ACCEPT_STEP, parameters, success).map(accepted -> accepted == 1);
    }
}
