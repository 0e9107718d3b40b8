package dev.twofold.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Records a security event in the very statement that makes the change it describes, on the raw
 * reactive pool, for hot paths that cannot afford a transaction. The caller's statements touch only
 * its own tables; the event's SQL is written here alone. Two steps: a read that reserves the event id
 * (the webhook body carries it, so it must be known before the write), then the change that records
 * the event {@link SecurityEventLog#rowsFor prepared} under that id exactly when it changed a row.
 */
@ApplicationScoped
public class SecurityEventStore {

    /** A row the caller's read found, and the event id reserved with it. */
    public record ReservedRow(Row row, long eventId) {}

    private static final String RESERVE_EVENT_ID = "nextval(pg_get_serial_sequence('security_event', 'id'))";

    /**
     * Inserts the event and its webhook deliveries (none or one), passed as JSON parameters
     * {@code $%1$d} and {@code $%2$d}, only if the member {@code changed} returned a row.
     */
    private static final String RECORD_IF_CHANGED = """
            with changed as (
            %3$s),
            event as (
                insert into security_event (id, account_id, type, occurred_at, ip, protocol, user_agent, detail)
                select e.id, e.account_id, e.type, e.occurred_at, e.ip, e.protocol, e.user_agent, e.detail
                  from jsonb_populate_record(null::security_event, $%1$d::text::jsonb) e
                 where exists (select 1 from changed)
                returning id),
            delivery as (
                insert into webhook_delivery (id, event_id, payload, created_at, next_attempt_at)
                select d.id, d.event_id, d.payload, d.created_at, d.next_attempt_at
                  from jsonb_populate_recordset(null::webhook_delivery, $%2$d::text::jsonb) d
                 where exists (select 1 from event))
            select count(*) from changed""";

    private static final String RESERVE_EVENT_IDS = "select " + RESERVE_EVENT_ID + " from generate_series(1, $1)";

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
     * Runs the caller's {@code query} (one row or none) and reserves an event id for each row it
     * returns, in the same round trip.
     */
    public Uni<Optional<ReservedRow>> findReservingEventId(String query, Tuple parameters) {
        String sql = "select q.*, " + RESERVE_EVENT_ID + " as reserved_event_id from (" + query + ") q";
        return pool.preparedQuery(sql).execute(parameters).map(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            if (!iterator.hasNext()) {
                return Optional.empty();
            }
            Row row = iterator.next();
            return Optional.of(new ReservedRow(row, row.getLong("reserved_event_id")));
        });
    }

    /**
     * Runs the caller's data-modifying {@code change} (with a {@code returning} clause; parameters
     * {@code $1..$n}) and records {@code event} in the same statement exactly when the change
     * returned a row; how many rows it returned.
     */
    public Uni<Long> changeRecording(String change, Tuple parameters, SecurityEventLog.EventRows event) {
        int next = parameters.size() + 1;
        List<Object> values = new ArrayList<>(parameters.size() + 2);
        for (int i = 0; i < parameters.size(); i++) {
            values.add(parameters.getValue(i));
        }
        values.add(event.event());
        values.add(event.deliveries());
        return pool.preparedQuery(String.format(Locale.ROOT, RECORD_IF_CHANGED, next, next + 1, change.strip()))
                .execute(Tuple.from(values))
                .map(rows -> rows.iterator().next().getLong(0));
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
