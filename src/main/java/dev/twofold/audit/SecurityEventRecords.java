package dev.twofold.audit;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** An account's security events and their webhook deliveries (queued or abandoned), for its erasure. */
@ApplicationScoped
class SecurityEventRecords implements AccountRecords {

    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(
                account,
                "delete from webhook_delivery where event_id in (select id from security_event where account_id = :account) or cast(payload as jsonb) ->> 'accountId' = :account",
                "delete from security_event where account_id = :account");
    }
}
