package dev.twofold.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Records a security event in the very statement that makes the change it describes, on the raw
 * reactive pool, for hot paths that cannot afford a transaction or a second round trip. The caller's
 * statements touch only its own tables; the event's SQL is written here alone.
 */
@ApplicationScoped
public class SecurityEventStore {

    /**
     * Inserts the event and its webhook deliveries (none or one), passed as JSON parameters
     * {@code $%1$d} and {@code $%2$d}, only if the member {@code changed} returned a row. The event
     * gets its id from the insert; the webhook body, written without one, gets it spliced in as its
     * first member (the body's first member is the id: {@code WebhookOutbox.Payload}), so the body
     * is the same text as one written with the id known.
     */
    private static final String RECORD_IF_CHANGED = """
            with changed as (
            %3$s),
            event as (
                insert into security_event (account_id, type, occurred_at, ip, protocol, user_agent, detail)
                select e.account_id, e.type, e.occurred_at, e.ip, e.protocol, e.user_agent, e.detail
                  from jsonb_populate_record(null::security_event, $%1$d::text::jsonb) e
                 where exists (select 1 from changed)
                returning id),
            delivery as (
                insert into webhook_delivery (id, event_id, payload, created_at, next_attempt_at)
                select d.id, event.id, '{"id":"' || event.id || '",' || substr(d.payload, 2),
                       d.created_at, d.next_attempt_at
                  from jsonb_populate_recordset(null::webhook_delivery, $%2$d::text::jsonb) d cross join event)
            select (select count(*) from changed) as changed%4$s""";

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

    SecurityEventStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Runs the caller's data-modifying {@code change} (with a {@code returning} clause; parameters
     * {@code $1..$n}) and records {@code event} in the same statement exactly when the change
     * returned a row. The answer row holds {@code changed}, how many rows the change returned, then
     * the caller's {@code answer} columns (a select list starting with a comma, evaluated on the
     * statement's snapshot, before the change; empty for none).
     */
    public Uni<Row> changeRecording(String change, String answer, Tuple parameters, SecurityEventLog.EventRows event) {
        int next = parameters.size() + 1;
        List<Object> values = new ArrayList<>(parameters.size() + 2);
        for (int i = 0; i < parameters.size(); i++) {
            values.add(parameters.getValue(i));
        }
        values.add(event.event());
        values.add(event.deliveries());
        String sql = String.format(Locale.ROOT, RECORD_IF_CHANGED, next, next + 1, change.strip(), answer);
        return pool.preparedQuery(sql)
                .execute(Tuple.from(values))
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
        StringJoiner rows = new StringJoiner(",", "[", "]");
        StringJoiner deliveries = new StringJoiner(",", "[", "]");
        for (SecurityEventLog.EventRows event : events) {
            rows.add(event.event());
            // Each event's deliveries are a JSON array of none or one; their members are joined into one array.
            String members = event.deliveries().strip();
            members = members.substring(1, members.length() - 1).strip();
            if (!members.isEmpty()) {
                deliveries.add(members);
            }
        }
        return client.preparedQuery(RECORD_ALL)
                .execute(Tuple.of(rows.toString(), deliveries.toString()))
                .replaceWithVoid();
    }
}
