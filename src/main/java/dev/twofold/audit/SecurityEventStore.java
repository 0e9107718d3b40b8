package dev.twofold.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes security events on the raw reactive pool, for paths that cannot afford a Hibernate session:
 * in the very statement that makes the change an event describes ({@link #recording}), or many at
 * once in a bulk change's transaction ({@link #recordAll}). The callers' statements touch only their
 * own tables; the event's SQL is written here alone.
 */
@ApplicationScoped
public class SecurityEventStore {

    /**
     * A data-modifying statement that records its event exactly when it changed a row, made once per
     * statement. The event is bound as typed parameters after the change's own, and gets its id from
     * its insert; the webhook body, written without one, gets it spliced in as its first member (the
     * body's first member is the id: {@code WebhookOutbox.Payload}), so the body is the same text as
     * one written with the id known.
     */
    public static final class RecordingChange {

        /** The event's columns, in the order {@link SecurityEventStore#execute} binds them, with their types. */
        private static final List<String> EVENT_TYPES =
                List.of("varchar", "varchar", "timestamptz", "varchar", "varchar", "varchar", "varchar", "text::jsonb");

        private static final List<String> DELIVERY_TYPES = List.of("uuid", "text", "timestamptz", "timestamptz");

        private final String withoutDelivery;
        private final String withDelivery;

        private RecordingChange(String change, int changeParameters, String answer) {
            int event = changeParameters + 1;
            int delivery = event + EVENT_TYPES.size();
            List<String> eventValues = parameters(event, EVENT_TYPES);
            List<String> deliveryValues = parameters(delivery, DELIVERY_TYPES);
            String head = "with changed as (\n" + change.strip() + "),\n"
                    + "event as (\n"
                    + "    insert into security_event"
                    + " (account_id, type, occurred_at, ip, protocol, user_agent, actor, detail)\n"
                    + "    select " + String.join(", ", eventValues) + "\n"
                    + "     where exists (select 1 from changed)\n"
                    + "    returning id)";
            String tail = "\nselect (select count(*) from changed) as changed" + answer;
            this.withoutDelivery = head + tail;
            this.withDelivery = head + ",\n"
                    + "delivery as (\n"
                    + "    insert into webhook_delivery (id, event_id, payload, created_at, next_attempt_at)\n"
                    + "    select " + deliveryValues.get(0) + ", id, '{\"id\":\"' || id || '\",' || "
                    + deliveryValues.get(1) + ", " + deliveryValues.get(2) + ", " + deliveryValues.get(3)
                    + " from event)" + tail;
        }

        /** Typed placeholders from {@code $first} on: bare ones would be taken for text. */
        private static List<String> parameters(int first, List<String> types) {
            List<String> placeholders = new ArrayList<>(types.size());
            for (int i = 0; i < types.size(); i++) {
                placeholders.add("$" + (first + i) + "::" + types.get(i));
            }
            return placeholders;
        }
    }

    private static final String RESERVE_EVENT_IDS =
            "select nextval(pg_get_serial_sequence('security_event', 'id')) from generate_series(1, $1)";

    private static final String RECORD_ALL = """
            with event as (
                insert into security_event (id, account_id, type, occurred_at, ip, protocol, user_agent, actor, detail)
                select e.id, e.account_id, e.type, e.occurred_at, e.ip, e.protocol, e.user_agent, e.actor, e.detail
                  from jsonb_populate_recordset(null::security_event, $1::text::jsonb) e)
            insert into webhook_delivery (id, event_id, payload, created_at, next_attempt_at)
            select d.id, d.event_id, d.payload, d.created_at, d.next_attempt_at
              from jsonb_populate_recordset(null::webhook_delivery, $2::text::jsonb) d""";

    private final Pool pool;
    private final ObjectMapper json;

    SecurityEventStore(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /**
     * The statement running {@code change} (data-modifying, with a {@code returning} clause, using
     * parameters {@code $1..$changeParameters}) and recording its event; {@code answer} is a select
     * list starting with a comma (empty for none), evaluated on the statement's snapshot, before the
     * change.
     */
    public RecordingChange recording(String change, int changeParameters, String answer) {
        return new RecordingChange(change, changeParameters, answer);
    }

    /**
     * Runs {@code change} with its {@code changeParameters} ({@code $1..$n}) and records {@code event}
     * if it changed a row. The answer row holds {@code changed}, how many rows the change returned,
     * then the caller's answer columns.
     */
    public Uni<Row> execute(RecordingChange change, Tuple changeParameters, SecurityEventLog.EventRows event) {
        Tuple parameters = Tuple.tuple();
        for (int i = 0; i < changeParameters.size(); i++) {
            parameters.addValue(changeParameters.getValue(i));
        }
        SecurityEvent recorded = event.event();
        parameters
                .addString(recorded.accountId)
                .addString(recorded.type)
                .addOffsetDateTime(utc(recorded.occurredAt))
                .addString(recorded.ip)
                .addString(recorded.protocol)
                .addString(recorded.userAgent)
                .addString(recorded.actor)
                .addString(recorded.detail == null ? null : asJson(json, recorded.detail));
        if (event.delivery().isEmpty()) {
            return pool.preparedQuery(change.withoutDelivery)
                    .execute(parameters)
                    .map(rows -> rows.iterator().next());
        }
        WebhookDelivery delivery = event.delivery().get();
        parameters
                .addUUID(delivery.id)
                // The body without its opening brace: the statement puts it back with the id.
                .addString(delivery.payload.substring(1))
                .addOffsetDateTime(utc(delivery.createdAt))
                .addOffsetDateTime(utc(delivery.nextAttemptAt));
        return pool.preparedQuery(change.withDelivery)
                .execute(parameters)
                .map(rows -> rows.iterator().next());
    }

    /** Reserves {@code count} event ids in one round trip on {@code client} (a bulk change's transaction). */
    public Uni<List<Long>> reserveEventIds(SqlClient client, int count) {
        return client.preparedQuery(RESERVE_EVENT_IDS).execute(Tuple.of(count)).map(rows -> {
            List<Long> ids = new ArrayList<>(count);
            rows.forEach(row -> ids.add(row.getLong(0)));
            return ids;
        });
    }

    /**
     * Records many events {@link SecurityEventLog#rowsFor prepared} under {@link #reserveEventIds reserved}
     * ids, with their webhook deliveries, in one statement on {@code client} (the change's transaction).
     */
    public Uni<Void> recordAll(SqlClient client, List<SecurityEventLog.EventRows> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Map<String, Object>> eventRows = new ArrayList<>(events.size());
        List<Map<String, Object>> deliveryRows = new ArrayList<>();
        for (SecurityEventLog.EventRows rows : events) {
            SecurityEvent event = rows.event();
            Map<String, Object> row = new HashMap<>();
            row.put("id", event.id);
            row.put("account_id", event.accountId);
            row.put("type", event.type);
            row.put("occurred_at", event.occurredAt.toString());
            row.put("ip", event.ip);
            row.put("protocol", event.protocol);
            row.put("user_agent", event.userAgent);
            row.put("actor", event.actor);
            row.put("detail", event.detail);
            eventRows.add(row);
            rows.delivery()
                    .ifPresent(delivery -> deliveryRows.add(Map.of(
                            "id", delivery.id.toString(),
                            "event_id", delivery.eventId,
                            "payload", delivery.payload,
                            "created_at", delivery.createdAt.toString(),
                            "next_attempt_at", delivery.nextAttemptAt.toString())));
        }
        return client.preparedQuery(RECORD_ALL)
                .execute(Tuple.of(asJson(json, eventRows), asJson(json, deliveryRows)))
                .replaceWithVoid();
    }

    private static String asJson(ObjectMapper json, Object rows) {
        try {
            return json.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A security event could not be written as JSON", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
