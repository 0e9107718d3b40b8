package dev.twofold.passcode;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * App passcode rows. "Active" means not revoked, not past {@code expires_at} and, when unused
 * expiry is on, used (or created) after the cutoff. Methods that change rows lock them
 * ({@code for update}), so concurrent replicas never revoke or expire one row twice.
 */
@ApplicationScoped
class AppPasscodeRepository implements PanacheRepositoryBase<AppPasscode, UUID>, AccountRecords {

    private static final String UNEXPIRED = " and (expiresAt is null or expiresAt > :now)";
    private static final String USED_SINCE_CUTOFF = " and coalesce(lastUsedAt, createdAt) > :cutoff";

    Uni<Long> countActive(String accountId, Instant now, Optional<Instant> unusedCutoff) {
        Query query = active("accountId = :account", accountId, now, unusedCutoff);
        return count(query.hql, query.parameters);
    }

    /** Whether an active (unexpired) passcode of the account has this name, in any case. */
    Uni<Boolean> activeNameTaken(String accountId, String name, Instant now, Optional<Instant> unusedCutoff) {
        Query query = active("accountId = :account and lower(name) = lower(:name)", accountId, now, unusedCutoff);
        query.parameters.put("name", name);
        return count(query.hql, query.parameters).map(count -> count > 0);
    }

    Uni<List<AppPasscode>> listActive(String accountId, Instant now, Optional<Instant> unusedCutoff) {
        Query query = active("accountId = :account", accountId, now, unusedCutoff);
        return list(query.hql + " order by createdAt desc, id", query.parameters);
    }

    Uni<AppPasscode> findActive(String accountId, UUID id, Instant now, Optional<Instant> unusedCutoff) {
        Query query = active("accountId = :account and id = :id", accountId, now, unusedCutoff);
        query.parameters.put("id", id);
        return find(query.hql, query.parameters).firstResult();
    }

    /** The active passcode, locked for the rest of the transaction; null if there is none. */
    Uni<AppPasscode> lockActive(String accountId, UUID id, Instant now, Optional<Instant> unusedCutoff) {
        Query query = active("accountId = :account and id = :id", accountId, now, unusedCutoff);
        query.parameters.put("id", id);
        return find(query.hql, query.parameters)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** The passcode if it is not revoked (expired ones included), locked; null if there is none. */
    Uni<AppPasscode> lockUnrevoked(String accountId, UUID id) {
        return find("accountId = ?1 and id = ?2 and revokedAt is null", accountId, id)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }

    /** All of the account's unrevoked passcodes, locked. */
    Uni<List<AppPasscode>> lockAllUnrevoked(String accountId) {
        return find("accountId = ?1 and revokedAt is null order by createdAt", accountId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    /** Unrevoked passcodes that have expired (of one account, or of any when {@code accountId} is empty), locked. */
    Uni<List<AppPasscode>> lockExpired(
            Optional<String> accountId, Instant now, Optional<Instant> unusedCutoff, int limit) {
        StringBuilder hql = new StringBuilder("revokedAt is null and (expiresAt <= :now");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("now", now);
        unusedCutoff.ifPresent(cutoff -> {
            hql.append(" or coalesce(lastUsedAt, createdAt) <= :cutoff");
            parameters.put("cutoff", cutoff);
        });
        hql.append(')');
        accountId.ifPresent(account -> {
            hql.append(" and accountId = :account");
            parameters.put("account", account);
        });
        return find(hql + " order by createdAt", parameters)
                .page(0, limit)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }

    /** Whether another unrevoked passcode of the account has this name (names compare case-insensitively). */
    Uni<Boolean> nameTaken(String accountId, String name, Optional<UUID> except) {
        Map<String, Object> parameters = new HashMap<>(Map.of("account", accountId, "name", name));
        String hql = "accountId = :account and revokedAt is null and lower(name) = lower(:name)";
        if (except.isPresent()) {
            hql += " and id <> :except";
            parameters.put("except", except.get());
        }
        return count(hql, parameters).map(count -> count > 0);
    }

    /**
     * Serialises changes to one account's passcodes until the transaction ends, so the limit and
     * name checks cannot race between replicas.
     */
    Uni<Void> lockAccount(String accountId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select cast(pg_advisory_xact_lock(hashtextextended(:account, 0)) as text)",
                                String.class)
                        .setParameter("account", accountId)
                        .getSingleResult())
                .replaceWithVoid();
    }

    private static Query active(String condition, String accountId, Instant now, Optional<Instant> unusedCutoff) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("account", accountId);
        parameters.put("now", now);
        String hql = condition + " and revokedAt is null" + UNEXPIRED;
        if (unusedCutoff.isPresent()) {
            hql += USED_SINCE_CUTOFF;
            parameters.put("cutoff", unusedCutoff.get());
        }
        return new Query(hql, parameters);
    }

    private record Query(String hql, Map<String, Object> parameters) {}

    /** Deletes the account's app passcodes and the IPs they were used from, for its erasure. */
    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(
                account,
                "delete from app_passcode_ip where passcode_id in (select id from app_passcode where account_id = :account)",
                "delete from app_passcode where account_id = :account");
    }
}
