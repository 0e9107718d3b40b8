package dev.twofold.audit;

import dev.twofold.account.AccountId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Records security events. {@link #record} joins the caller's reactive transaction, so an event
 * exists exactly when the change it describes was committed; when webhooks are on, its delivery is
 * queued in that same transaction. Details are short, non-secret facts (a passcode's name, a
 * remaining count); never put a code, seed, passcode or token in them.
 */
@ApplicationScoped
public class SecurityEventLog {

    /**
     * An event not yet stored and its webhook delivery (if webhooks are on), for {@link
     * SecurityEventStore}; opaque outside this package.
     */
    public static final class EventRows {

        private final SecurityEvent event;
        private final Optional<WebhookDelivery> delivery;

        private EventRows(SecurityEvent event, Optional<WebhookDelivery> delivery) {
            this.event = event;
            this.delivery = delivery;
        }

        SecurityEvent event() {
            return event;
        }

        Optional<WebhookDelivery> delivery() {
            return delivery;
        }
    }

    private final Clock clock;
    private final WebhookOutbox webhooks;

    SecurityEventLog(Clock clock, WebhookOutbox webhooks) {
        this.clock = clock;
        this.webhooks = webhooks;
    }

    public Uni<Void> record(AccountId account, SecurityEventType type, EventOrigin origin, Map<String, String> detail) {
        SecurityEvent event = newEvent(account, type, origin, detail);
        // The identity insert runs at persist, so the event has its id when the delivery is queued.
        return Panache.getSession()
                .flatMap(session -> session.persist(event).chain(() -> webhooks.enqueue(session, event)));
    }

    public Uni<Void> record(AccountId account, SecurityEventType type, EventOrigin origin) {
        return record(account, type, origin, Map.of());
    }

    /** The rows recording an event under an id reserved with {@link SecurityEventStore#reserveEventIds}. */
    public EventRows rowsFor(
            long reservedId,
            AccountId account,
            SecurityEventType type,
            EventOrigin origin,
            Map<String, String> detail) {
        SecurityEvent event = newEvent(account, type, origin, detail);
        event.id = reservedId;
        return rows(event);
    }

    /** The rows recording an event that gets its id from its insert ({@link SecurityEventStore#recording}). */
    public EventRows rowsNumberedByInsert(
            AccountId account, SecurityEventType type, EventOrigin origin, Map<String, String> detail) {
        return rows(newEvent(account, type, origin, detail));
    }

    private EventRows rows(SecurityEvent event) {
        return new EventRows(event, webhooks.delivery(event));
    }

    private SecurityEvent newEvent(
            AccountId account, SecurityEventType type, EventOrigin origin, Map<String, String> detail) {
        SecurityEvent event = new SecurityEvent();
        event.accountId = account.value();
        event.type = type.slug();
        // PostgreSQL keeps microseconds: the API and the webhook then show the same instant.
        event.occurredAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        event.ip = origin.ip().orElse(null);
        event.protocol = origin.protocol().orElse(null);
        event.userAgent = origin.userAgent().orElse(null);
        event.actor = origin.actor().orElse(null);
        event.detail = detail.isEmpty() ? null : Map.copyOf(detail);
        return event;
    }
}
