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
import java.util.Locale;
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
     * SQL expression that reserves an event id, for {@link #rowsFor}: a hot path selects it in the
     * read it does anyway, so that the event (and its webhook body, which carries the id) can be
     * written by the same statement as the change it describes.
     */
    public static final String RESERVE_EVENT_ID = "nextval(pg_get_serial_sequence('security_event', 'id'))";

    /**
     * An event and its webhook deliveries (none or one) as JSON parameters of a caller's statement;
     * see {@link #insertWhen}.
     */
    public record EventRows(String event, String deliveries) {
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

    /** The rows recording an event under an id reserved with {@link #RESERVE_EVENT_ID}. */
    public EventRows rowsFor(long reservedId, AccountId account, SecurityEventType type, EventOrigin origin,
            Map<String, String> detail) {
        SecurityEvent event = newEvent(account, type, origin, detail);
        event.id = reservedId;
        Map<String, Object> eventRow = new HashMap<>();
        eventRow.put("id", event.id);
        eventRow.put("account_id", event.accountId);
        eventRow.put("type", event.type);
        eventRow.put("occurred_at", event.occurredAt.toString());
        eventRow.put("ip", event.ip);
        eventRow.put("protocol", event.protocol);
        eventRow.put("user_agent", event.userAgent);
        eventRow.put("detail", event.detail);
        List<Map<String, Object>> deliveryRows = webhooks.delivery(event).stream()
                .map(delivery -> Map.<String, Object>of(
                        "id", delivery.id.toString(),
                        "event_id", delivery.eventId,
                        "payload", delivery.payload,
                        "created_at", delivery.createdAt.toString(),
                        "next_attempt_at", delivery.nextAttemptAt.toString()))
                .toList();
        try {
            return new EventRows(json.writeValueAsString(eventRow), json.writeValueAsString(deliveryRows));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A security event could not be written as JSON", e);
        }
    }

    /**
     * Members of a {@code with} clause that insert {@link EventRows} passed as parameters
     * {@code $eventParameter} and {@code $deliveriesParameter}, only if the member {@code condition}
     * returned a row: the event is then recorded exactly when the change is, in one statement.
     */
    public static String insertWhen(String condition, int eventParameter, int deliveriesParameter) {
        return String.format(Locale.ROOT, """
                event as (
                    insert into security_event (id, account_id, type, occurred_at, ip, protocol, user_agent, detail)
                    select e.id, e.account_id, e.type, e.occurred_at, e.ip, e.protocol, e.user_agent, e.detail
                      from jsonb_populate_record(null::security_event, $%d::text::jsonb) e
                     where exists (select 1 from %s)
                    returning id),
                delivery as (
                    insert into webhook_delivery (id, event_id, payload, created_at, next_attempt_at)
                    select d.id, d.event_id, d.payload, d.created_at, d.next_attempt_at
                      from jsonb_populate_recordset(null::webhook_delivery, $%d::text::jsonb) d
                     where exists (select 1 from event))""",
                eventParameter, condition, deliveriesParameter);
    }

    private SecurityEvent newEvent(AccountId account, SecurityEventType type, EventOrigin origin,
            Map<String, String> detail) {
        SecurityEvent event = new SecurityEvent();
        event.accountId = account.value();
        event.type = type.slug();
        // PostgreSQL keeps microseconds: the API and the webhook then show the same instant.
        event.occurredAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        event.ip = origin.ip().orElse(null);
        event.protocol = origin.protocol().orElse(null);
        event.userAgent = origin.userAgent().orElse(null);
        event.detail = detail.isEmpty() ? null : Map.copyOf(detail);
        return event;
    }
}
