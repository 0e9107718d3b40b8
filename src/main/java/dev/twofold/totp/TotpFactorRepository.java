package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Confirmed factors. Every change to the replay guard ({@link TotpSignInStore}) and the failure
 * counters is one conditional statement, so concurrent requests on any number of replicas cannot
 * both win or lose a count.
 * Entities read here are never modified and flushed: a full-row update would write back a stale
 * {@code last_step}.
 */
@ApplicationScoped
class TotpFactorRepository implements PanacheRepositoryBase<TotpFactor, String>, AccountRecords {

    /** What counting a failure did. */
    record Failure(Optional<Instant> lockedUntil, boolean startedLockout) {}

    /** The factor's verification state as row-locked by {@link #lock}. */
    record Gate(boolean enabled, Optional<Instant> lockedUntil) {

        boolean lockedAt(Instant now) {
            return lockedUntil.filter(until -> until.isAfter(now)).isPresent();
        }
    }

    // 'epoch' stands for "never locked", so the column never comes back null.
    private static final String LOCK = """
            select coalesce(locked_until, timestamptz 'epoch') from totp_factor where account_id = :account for update""";

    private static final String INSERT_IF_ABSENT = """
            insert into totp_factor (account_id, seed_ciphertext, seed_key_id, algorithm, digits, period_seconds,
                                     enabled_at, last_step)
            values (:account, :ciphertext, :keyId, :algorithm, :digits, :period, :enabledAt, :lastStep)
            on conflict (account_id) do nothing""";

    // In SET, column names mean the values before the update; the lockout doubles per earlier
    // lockout since the last success (exponent capped so the number stays finite) up to the maximum.
    private static final String COUNT_FAILURE = """
            update totp_factor set
              failed_attempts = case when failed_attempts + 1 >= :maxFailures then 0 else failed_attempts + 1 end,
              lockouts = case when failed_attempts + 1 >= :maxFailures then lockouts + 1 else lockouts end,
              locked_until = case when failed_attempts + 1 >= :maxFailures
                then cast(:now as timestamptz) + make_interval(secs =>
                       least(:initialSeconds * power(2, least(lockouts, 30)), :maxSeconds))
                else locked_until end
            where account_id = :account and (locked_until is null or locked_until <= :now)
            returning locked_until""";

    Uni<TotpFactor> findByAccount(String accountId) {
        return findById(accountId);
    }

    /**
     * Row-locks the factor until the transaction ends, so no lockout can start, no other change of
     * the account's second factor run, nor the factor be deleted between this check and the writes
     * that follow it.
     */
    Uni<Gate> lock(String accountId) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(LOCK, Instant.class)
                        .setParameter("account", accountId)
                        .getResultList())
                .map(rows -> rows.isEmpty()
                        ? new Gate(false, Optional.empty())
                        : new Gate(true, Optional.of(rows.get(0)).filter(until -> until.isAfter(Instant.EPOCH))));
    }

    /** Stores {@code factor} unless the account has one already (a concurrent confirmation won); true if stored. */
    Uni<Boolean> insertIfAbsent(TotpFactor factor) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(INSERT_IF_ABSENT)
                        .setParameter("account", factor.accountId)
                        .setParameter("ciphertext", factor.seedCiphertext)
                        .setParameter("keyId", factor.seedKeyId)
                        .setParameter("algorithm", factor.algorithm)
                        .setParameter("digits", factor.digits)
                        .setParameter("period", factor.periodSeconds)
                        .setParameter("enabledAt", factor.enabledAt)
                        .setParameter("lastStep", factor.lastStep)
                        .executeUpdate())
                .map(rows -> rows == 1);
    }

    /** A success by other means than a time step (a recovery code) resets the failure counters. */
    Uni<Void> clearFailures(String accountId) {
        return update("failedAttempts = 0, lockouts = 0, lockedUntil = null where accountId = ?1", accountId)
                .replaceWithVoid();
    }

    /** Counts one wrong code; the {@code maxFailures}-th in a row locks verification. */
    Uni<Failure> countFailure(String accountId, Instant now, TotpConfig.Lockout lockout) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(COUNT_FAILURE, Instant.class)
                        .setParameter("account", accountId)
                        .setParameter("now", now)
                        .setParameter("maxFailures", lockout.maxFailures())
                        .setParameter("initialSeconds", lockout.initial().toSeconds())
                        .setParameter("maxSeconds", lockout.max().toSeconds())
                        .getResultList())
                .flatMap(rows -> rows.isEmpty()
                        // Another request locked verification (or disabled it) since this one read the row.
                        ? lockedUntil(accountId, now).map(until -> new Failure(until, false))
                        : Uni.createFrom().item(lockedAfter(rows, now)));
    }

    private static Failure lockedAfter(List<Instant> rows, Instant now) {
        Optional<Instant> until = Optional.ofNullable(rows.get(0)).filter(instant -> instant.isAfter(now));
        return new Failure(until, until.isPresent());
    }

    private Uni<Optional<Instant>> lockedUntil(String accountId, Instant now) {
        // A native query reads the row as it is now, not the copy this session loaded earlier.
        return getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select locked_until from totp_factor where account_id = :account", Instant.class)
                        .setParameter("account", accountId)
                        .getResultList())
                .map(rows -> rows.stream().findFirst().filter(until -> until.isAfter(now)));
    }

    Uni<Long> deleteByAccount(String accountId) {
        return delete("accountId", accountId);
    }

    /** Deletes the account's factor (with its lockout state) and pending enrollment, for its erasure. */
    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(
                account,
                "delete from totp_factor where account_id = :account",
                "delete from totp_enrollment where account_id = :account");
    }
}
