package dev.twofold.audit;

import dev.twofold.account.AccountId;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reading an account's audit trail, one page at a time. */
@ApplicationScoped
class SecurityEventService {

    /** One page of events, newest first, and the cursor of the next (older) page if there is one. */
    record Page(List<SecurityEvent> items, Optional<String> next) {}

    private final SecurityEventRepository events;

    SecurityEventService(SecurityEventRepository events) {
        this.events = events;
    }

    @WithSession
    Uni<Page> page(AccountId account, int limit, Optional<String> before, Set<SecurityEventType> types) {
        Optional<Long> beforeId = before.map(EventCursor::decode);
        Set<String> slugs = types.stream().map(SecurityEventType::slug).collect(Collectors.toSet());
        // One row more than asked tells whether an older page exists without a count query.
        return events.findNewestFirst(account.value(), beforeId, slugs, limit + 1)
                .map(rows -> {
                    if (rows.size() <= limit) {
                        return new Page(rows, Optional.empty());
                    }
                    List<SecurityEvent> items = rows.subList(0, limit);
                    return new Page(items, Optional.of(EventCursor.encode(items.get(limit - 1).id)));
                });
    }
}
