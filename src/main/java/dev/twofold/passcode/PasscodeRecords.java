package dev.twofold.passcode;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** An account's app passcodes and the IPs they were used from, for its erasure. */
@ApplicationScoped
class PasscodeRecords implements AccountRecords {

    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(
                account,
                "delete from app_passcode_ip where passcode_id in (select id from app_passcode where account_id = :account)",
                "delete from app_passcode where account_id = :account");
    }
}
