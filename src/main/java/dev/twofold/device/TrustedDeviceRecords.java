package dev.twofold.device;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** An account's trusted devices, for its erasure. */
@ApplicationScoped
class TrustedDeviceRecords implements AccountRecords {

    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(account, "delete from trusted_device where account_id = :account");
    }
}
