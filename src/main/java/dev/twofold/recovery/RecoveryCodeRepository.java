package dev.twofold.recovery;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

@ApplicationScoped
class RecoveryCodeRepository implements PanacheRepositoryBase<RecoveryCode, Long>, AccountRecords {

    Uni<List<RecoveryCode>> findByAccount(String accountId) {
        return list("accountId", accountId);
    }

    /** The code of the account (used or not) whose lookup hash is one of {@code lookupHashes}, or null. */
    Uni<RecoveryCode> findByLookup(String accountId, List<byte[]> lookupHashes) {
        return find(
                        "accountId = :account and lookupHash in :hashes",
                        Map.of("account", accountId, "hashes", lookupHashes))
                .firstResult();
    }

    Uni<Long> countUnused(String accountId) {
        return count("accountId = ?1 and usedAt is null", accountId);
    }

    /** Marks the code used unless another request did first; true for the one request that did. */
    Uni<Boolean> burn(long id, Instant now) {
        return update("usedAt = ?1 where id = ?2 and usedAt is null", now, id).map(rows -> rows == 1);
    }

    Uni<Long> deleteByAccount(String accountId) {
        return delete("accountId", accountId);
    }

    /** Deletes the account's recovery codes, for its erasure. */
    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(account, "delete from recovery_code where account_id = :account");
    }
}
