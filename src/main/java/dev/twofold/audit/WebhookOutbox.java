package dev.twofold.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Queues an event for the webhook in the transaction that records it (transactional outbox): the
 * webhook learns of exactly the committed events, and nothing queued is lost by a restart.
 */
@ApplicationScoped
class WebhookOutbox {

    /** The webhook body. Built from the event alone, which never holds a secret. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "type", "accountId", "occurredAt", "ip", "protocol", "userAgent", "actor", "detail"})
    record Payload(
            String id,
            String type,
            String accountId,
            String occurredAt,
            String ip,
            String protocol,
            String userAgent,
            String actor,
            Map<String, String> detail) {}

    private final boolean enabled;
    private final ObjectMapper json;

    WebhookOutbox(WebhookConfig config, ObjectMapper json) {
        this.enabled = config.url().isPresent();
        this.json = json;
    }

    /** Adds the delivery of a just-persisted event to the session's transaction; nothing when webhooks are off. */
    Uni<Void> enqueue(Mutiny.Session session, SecurityEvent event) {
        return delivery(event)
                .map(session::persist)
                .orElseGet(() -> Uni.createFrom().voidItem());
    }

    /** The outbox row for an event whose id is known; empty when webhooks are off. */
    Optional<WebhookDelivery> delivery(SecurityEvent event) {
        if (!enabled) {
            return Optional.empty();
        }
        WebhookDelivery delivery = new WebhookDelivery();
        delivery.id = UUID.randomUUID();
        delivery.eventId = event.id;
        delivery.payload = payload(event);
        delivery.createdAt = event.occurredAt;
        delivery.nextAttemptAt = event.occurredAt;
        return Optional.of(delivery);
    }

    /** Without the id while the event has none: the insert that numbers it splices it in (SecurityEventStore). */
    private String payload(SecurityEvent event) {
        try {
            return json.writeValueAsString(new Payload(
                    event.id == null ? null : String.valueOf(event.id),
                    event.type,
                    event.accountId,
                    DateTimeFormatter.ISO_INSTANT.format(event.occurredAt),
                    event.ip,
                    event.protocol,
                    event.userAgent,
                    event.actor,
                    event.detail));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A security event could not be written as JSON", e);
        }
    }
}
