package dev.twofold.policy;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** An account's first appearance under a domain policy, for its erasure. */
@ApplicationScoped
class FirstSeenRecords implements AccountRecords {

    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(account, "delete from account_first_seen where account_id = :account");
    }
}
