package dev.twofold.recovery;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** An account's recovery codes, for its erasure. */
@ApplicationScoped
class RecoveryCodeRecords implements AccountRecords {

    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(account, "delete from recovery_code where account_id = :account");
    }
}
