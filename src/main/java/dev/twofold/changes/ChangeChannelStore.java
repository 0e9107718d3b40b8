package dev.twofold.changes;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends on the change channel outside any transaction: heartbeats and acknowledgements. */
@ApplicationScoped
class ChangeChannelStore {

    private static final String NOTIFY = "select pg_notify($1, $2)";

    private final Pool pool;

    ChangeChannelStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Void> send(String channel, String payload) {
        return pool.preparedQuery(NOTIFY).execute(Tuple.of(channel, payload)).replaceWithVoid();
    }
}
