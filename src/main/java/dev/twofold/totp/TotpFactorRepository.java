package dev.twofold.totp;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Confirmed factors. Every change to the replay guard ({@link TotpSignInStore}) and the failure
 * counters is one conditional statement, so concurrent requests on any number of replicas cannot
 * both win or lose a count.
 * Entities read here are never modified and flushed: a full-row update would write back a stale
 * {@code last_step}.
 */
@ApplicationScoped
class TotpFactorRepository implements PanacheRepositoryBase<TotpFactor, String> {

    /** What counting a failure did. */
    record Failure(Optional<Instant> lockedUntil, boolean startedLockout) {
    }

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

    /** The factor, share-locked until the transaction ends, so it cannot be disabled meanwhile. */
    Uni<TotpFactor> findForShare(String accountId) {
        return findById(accountId, LockModeType.PESSIMISTIC_READ);
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
}
