package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** An account's TOTP factor (with its lockout state) and pending enrollment, for its erasure. */
@ApplicationScoped
class TotpRecords implements AccountRecords {

    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(
                account,
                "delete from totp_factor where account_id = :account",
                "delete from totp_enrollment where account_id = :account");
    }
}
