package dev.twofold.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.account.AccountId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records security events. {@link #record} joins the caller's reactive transaction, so an event
 * exists exactly when the change it describes was committed; when webhooks are on, its delivery is
 * queued in that same transaction. Details are short, non-secret facts (a passcode's name, a
 * remaining count); never put a code, seed, passcode or token in them.
 */
@ApplicationScoped
public class SecurityEventLog {

    /**
     * An event and its webhook deliveries (none or one), ready for {@link SecurityEventStore#changeRecording};
     * opaque outside this package.
     */
    public static final class EventRows {

        private final String event;
        private final String deliveries;

        private EventRows(String event, String deliveries) {
            this.event = event;
            this.deliveries = deliveries;
        }

        String event() {
            return event;
        }

        String deliveries() {
            return deliveries;
        }
    }

    private final Clock clock;
    private final WebhookOutbox webhooks;
    private final ObjectMapper json;

    SecurityEventLog(Clock clock, WebhookOutbox webhooks, ObjectMapper json) {
        this.clock = clock;
        this.webhooks = webhooks;
        this.json = json;
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

    /** The rows recording an event that gets its id from the insert ({@link SecurityEventStore#changeRecording}). */
    public EventRows rowsNumberedByInsert(
            AccountId account, SecurityEventType type, EventOrigin origin, Map<String, String> detail) {
        return rows(newEvent(account, type, origin, detail));
    }

    private EventRows rows(SecurityEvent event) {
        Map<String, Object> eventRow = new HashMap<>();
        eventRow.put("id", event.id);
        eventRow.put("account_id", event.accountId);
        eventRow.put("type", event.type);
        eventRow.put("occurred_at", event.occurredAt.toString());
        eventRow.put("ip", event.ip);
        eventRow.put("protocol", event.protocol);
        eventRow.put("user_agent", event.userAgent);
        eventRow.put("actor", event.actor);
        eventRow.put("detail", event.detail);
        List<Map<String, Object>> deliveryRows = webhooks.delivery(event).stream()
                .map(delivery -> {
                    Map<String, Object> row = new HashMap<>();
                    row.put("id", delivery.id.toString());
                    row.put("event_id", delivery.eventId);
                    row.put("payload", delivery.payload);
                    row.put("created_at", delivery.createdAt.toString());
                    row.put("next_attempt_at", delivery.nextAttemptAt.toString());
                    return row;
                })
                .toList();
        try {
            return new EventRows(json.writeValueAsString(eventRow), json.writeValueAsString(deliveryRows));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A security event could not be written as JSON", e);
        }
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
