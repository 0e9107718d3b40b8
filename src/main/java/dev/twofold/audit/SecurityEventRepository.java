package dev.twofold.audit;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@ApplicationScoped
class SecurityEventRepository implements PanacheRepositoryBase<SecurityEvent, Long>, AccountRecords {

    /** Up to {@code count} events of the account, newest first, older than {@code beforeId} if given. */
    Uni<List<SecurityEvent>> findNewestFirst(String accountId, Optional<Long> beforeId, Set<String> types, int count) {
        StringBuilder query = new StringBuilder("accountId = :account");
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("account", accountId);
        beforeId.ifPresent(id -> {
            query.append(" and id < :before");
            parameters.put("before", id);
        });
        if (!types.isEmpty()) {
            query.append(" and type in :types");
            parameters.put("types", types);
        }
        return find(query.toString(), Sort.descending("id"), parameters)
                .range(0, count - 1)
                .list();
    }

    /**
     * Deletes the account's events and their webhook deliveries, queued or abandoned (also those whose
     * event is gone already), for its erasure.
     */
    @Override
    public Uni<Void> erase(AccountId account) {
        return AccountRecords.delete(
                account,
                "delete from webhook_delivery where event_id in (select id from security_event where account_id = :account)"
                        + " or cast(payload as jsonb) ->> 'accountId' = :account",
                "delete from security_event where account_id = :account");
    }
}
