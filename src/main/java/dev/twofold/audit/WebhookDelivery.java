package dev.twofold.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An outbox row: a security event still to be POSTed to the webhook. */
@Entity
@Table(name = "webhook_delivery")
class WebhookDelivery {

    /** Sent as {@code Twofold-Webhook-Id}; the same on every attempt, so receivers can drop duplicates. */
    @Id
    UUID id;

    /** Null only on the way to an insert that numbers the event in the same statement (SecurityEventStore). */
    @Column(name = "event_id", nullable = false)
    Long eventId;

    /** The JSON body, fixed when the event is recorded. */
    @Column(nullable = false)
    String payload;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(nullable = false)
    int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    Instant nextAttemptAt;

    @Column(name = "last_error")
    String lastError;

    @Column(name = "abandoned_at")
    Instant abandonedAt;
}
