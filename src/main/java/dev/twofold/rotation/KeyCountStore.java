package dev.twofold.rotation;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link KeyedTable} counted by one {@code select key_id, count(*) … group by key_id} on the
 * maintenance pool ({@code $1}, if used, is now; over a large table the count runs longer than the
 * stall timeout), with the statements an owner needs to retire lookup rows. The
 * owner subclasses it and writes the SQL of its own table, as a {@code @Singleton} bean (a subclass has
 * no no-args constructor, so it cannot be behind a client proxy).
 */
public abstract class KeyCountStore implements KeyedTable {

    /** The {@code revoked_reason} of passcodes and the event reason of rows retired by a key rotation. */
    public static final String RETIRED_REASON = "key-rotation";

    private final Pool pool;
    private final String label;
    private final String countByKey;

    /** {@code pool} is the {@link dev.twofold.platform.Maintenance} one. */
    protected KeyCountStore(Pool pool, String label, String countByKey) {
        this.pool = pool;
        this.label = label;
        this.countByKey = countByKey;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Uni<Map<Optional<String>, Long>> usableByKey(Instant now) {
        Tuple parameters = countByKey.contains("$1") ? Tuple.of(now.atOffset(ZoneOffset.UTC)) : Tuple.tuple();
        return pool.preparedQuery(countByKey).execute(parameters).map(rows -> {
            Map<Optional<String>, Long> byKey = new HashMap<>();
            for (Row row : rows) {
                byKey.put(Optional.ofNullable(row.getString(0)), row.getLong(1));
            }
            return byKey;
        });
    }

    /** Runs {@code statement} on the maintenance pool with {@code activeKeyId} as {@code $1}; how many rows it changed. */
    protected Uni<Integer> executeWithKey(String statement, String activeKeyId) {
        return pool.preparedQuery(statement).execute(Tuple.of(activeKeyId)).map(SqlResult::rowCount);
    }

    /**
     * Row-locks up to {@code limit} rows ({@code id, account_id, name}) that {@code select} finds,
     * skipping rows another transaction holds; {@code select} may use {@code :now} and {@code :active}.
     */
    protected static Uni<List<Object[]>> claim(String select, Instant now, String active, int limit) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                select + " order by id limit :limit for update skip locked", Object[].class)
                        .setParameter("now", now)
                        .setParameter("active", active)
                        .setParameter("limit", limit)
                        .getResultList());
    }

    /** Runs a native statement in the caller's transaction. */
    protected static Uni<Integer> execute(String statement, Map<String, Object> parameters) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(statement);
            parameters.forEach(query::setParameter);
            return query.executeUpdate();
        });
    }

    protected static List<UUID> ids(List<Object[]> claimed) {
        return claimed.stream().map(row -> (UUID) row[0]).toList();
    }

    /** The event detail of a claimed row retired by the rotation: its id, its name if it has one, the reason. */
    protected static Map<String, String> detail(String idKey, Object id, String nameKey, Object name) {
        Map<String, String> detail = new HashMap<>();
        detail.put(idKey, id.toString());
        if (name != null) {
            detail.put(nameKey, name.toString());
        }
        detail.put("reason", RETIRED_REASON);
        return detail;
    }
}
