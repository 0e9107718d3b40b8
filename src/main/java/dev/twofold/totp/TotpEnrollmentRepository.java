package dev.twofold.totp;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Map;

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

    Uni<Boolean> hasUnexpired(String accountId, Instant now) {
        return count("accountId = :account and expiresAt > :now", Map.of("account", accountId, "now", now))
                .map(count -> count > 0);
    }

    /** The pending enrollment, locked until the transaction ends, so one confirmation handles it. */
    Uni<TotpEnrollment> findForUpdate(String accountId) {
        return findById(accountId, LockModeType.PESSIMISTIC_WRITE);
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
