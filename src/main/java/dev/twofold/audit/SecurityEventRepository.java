package dev.twofold.audit;

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
class SecurityEventRepository implements PanacheRepositoryBase<SecurityEvent, Long> {

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
}
