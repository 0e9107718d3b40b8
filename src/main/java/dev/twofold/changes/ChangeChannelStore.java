package dev.twofold.changes;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Sends on the change channel: heartbeats and acknowledgements, and changes written on a raw transaction. */
@ApplicationScoped
class ChangeChannelStore {

    private static final String NOTIFY = "select pg_notify($1, $2)";
    private static final String NOTIFY_ALL = "select pg_notify($1, payload) from unnest($2::text[]) payload";

    private final Pool pool;

    ChangeChannelStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> send(String channel, String payload) {
        return pool.preparedQuery(NOTIFY).execute(Tuple.of(channel, payload)).replaceWithVoid();
    }

    /** Sends {@code payloads} on {@code transaction}: PostgreSQL delivers them when it commits. */
    Uni<Void> sendOn(SqlClient transaction, String channel, List<String> payloads) {
        return transaction
                .preparedQuery(NOTIFY_ALL)
                .execute(Tuple.of(channel, payloads.toArray(String[]::new)))
                .replaceWithVoid();
    }
}
