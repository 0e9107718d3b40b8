package dev.twofold.totp;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
class TotpEnrollmentRepository implements PanacheRepositoryBase<TotpEnrollment, String> {

    private static final String REPLACE = """
            insert into totp_enrollment (account_id, seed_ciphertext, seed_key_id, algorithm, digits, period_seconds,
                                         created_at, expires_at, failed_attempts)
            values (:account, :ciphertext, :keyId, :algorithm, :digits, :period, :createdAt, :expiresAt, 0)
            on conflict (account_id) do update set
              seed_ciphertext = excluded.seed_ciphertext, seed_key_id = excluded.seed_key_id,
              algorithm = excluded.algorithm, digits = excluded.digits, period_seconds = excluded.period_seconds,
              created_at = excluded.created_at, expires_at = excluded.expires_at, failed_attempts = 0""";

    // An enrollment is identified by its sealed seed (random nonce): a restarted enrollment is another one.
    private static final String COUNT_FAILURE = """
            update totp_enrollment set failed_attempts = failed_attempts + 1
             where account_id = :account and seed_ciphertext = :ciphertext
            returning failed_attempts""";

    Uni<Boolean> hasUnexpired(String accountId, Instant now) {
        return count("accountId = :account and expiresAt > :now", Map.of("account", accountId, "now", now))
                .map(count -> count > 0);
    }

    /** The pending enrollment as it is now, unlocked (every write below re-checks it is still this one). */
    Uni<TotpEnrollment> findByAccount(String accountId) {
        return findById(accountId);
    }

    /**
     * Consumes {@code enrollment} if it is still the account's pending one and unexpired at {@code now}:
     * true for the one confirmation that does.
     */
    Uni<Boolean> claim(TotpEnrollment enrollment, Instant now) {
        return delete(
                        "accountId = :account and seedCiphertext = :ciphertext and expiresAt > :now",
                        Map.of("account", enrollment.accountId, "ciphertext", enrollment.seedCiphertext, "now", now))
                .map(deleted -> deleted == 1);
    }

    /** Deletes {@code enrollment} unless it was replaced meanwhile. */
    Uni<Void> discard(TotpEnrollment enrollment) {
        return delete(
                        "accountId = :account and seedCiphertext = :ciphertext",
                        Map.of("account", enrollment.accountId, "ciphertext", enrollment.seedCiphertext))
                .replaceWithVoid();
    }

    /** Counts one wrong code against {@code enrollment}: the failures so far, or empty if it is gone or was replaced. */
    Uni<Optional<Integer>> countFailure(TotpEnrollment enrollment) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(COUNT_FAILURE, Integer.class)
                        .setParameter("account", enrollment.accountId)
                        .setParameter("ciphertext", enrollment.seedCiphertext)
                        .getResultList())
                .map(rows -> rows.stream().findFirst());
    }

    /** Stores {@code enrollment} in place of any pending one of the account, in one statement. */
    Uni<Void> replace(TotpEnrollment enrollment) {
        return getSession()
                .flatMap(session -> session.createNativeQuery(REPLACE)
                        .setParameter("account", enrollment.accountId)
                        .setParameter("ciphertext", enrollment.seedCiphertext)
                        .setParameter("keyId", enrollment.seedKeyId)
                        .setParameter("algorithm", enrollment.algorithm)
                        .setParameter("digits", enrollment.digits)
                        .setParameter("period", enrollment.periodSeconds)
                        .setParameter("createdAt", enrollment.createdAt)
                        .setParameter("expiresAt", enrollment.expiresAt)
                        .executeUpdate())
                .replaceWithVoid();
    }

    Uni<Long> deleteByAccount(String accountId) {
        return delete("accountId", accountId);
    }
}
