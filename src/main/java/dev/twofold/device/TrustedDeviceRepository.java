package dev.twofold.device;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
class TrustedDeviceRepository implements PanacheRepositoryBase<TrustedDevice, UUID>, AccountRecords {

    private static final String ACTIVE = "revokedAt is null and expiresAt > :now";

    /** The device whose token has one of these lookup hashes (one per ring key), whatever its state. */
    Uni<TrustedDevice> findByLookupHash(List<byte[]> candidates) {
        return find("lookupHash in :hashes", Map.of("hashes", candidates)).firstResult();
    }

    /** The account's active devices, most recently used (or trusted) first. */
    Uni<List<TrustedDevice>> findActiveByAccount(String accountId, Instant now) {
        return list(
                "accountId = :account and " + ACTIVE + " order by coalesce(lastUsedAt, createdAt) desc, id",
                Map.of("account", accountId, "now", now));
    }

    Uni<TrustedDevice> findActive(String accountId, UUID id, Instant now) {
        return find(
                        "id = :id and accountId = :account and " + ACTIVE,
                        Map.of("id", id, "account", accountId, "now", now))
                .firstResult();
    }

    /**
     * Records a use, with the token's lookup hash under the active key, if the device is still active
     * at {@code now}; 0 when it was revoked or expired meanwhile.
     */
    Uni<Integer> markUsed(UUID id, Instant now, byte[] lookupHash, String lookupKeyId) {
        return update(
                "lastUsedAt = :now, lookupHash = :hash, lookupKeyId = :keyId where id = :id and " + ACTIVE,
                Map.of("id", id, "now", now, "hash", lookupHash, "keyId", lookupKeyId));
    }

    /** Revokes one active device; 0 when it is not (or no longer) active. */
    Uni<Integer> revoke(String accountId, UUID id, Instant now) {
        return update(
                "revokedAt = :now where id = :id and accountId = :account and " + ACTIVE,
                Map.of("id", id, "account", accountId, "now", now));
    }

    /** Revokes every active device of the account; how many there were. */
    Uni<Integer> revokeAll(String accountId, Instant now) {
        return update(
                "revokedAt = :now where accountId = :account and " + ACTIVE, Map.of("account", accountId, "now", now));
    }

    /** Deletes the account's trusted devices, for its erasure. */
    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(account, "delete from trusted_device where account_id = :account");
    }
}
