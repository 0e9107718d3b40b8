package dev.twofold.platform;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates the reactive pool (the one Hibernate Reactive and the raw-SQL paths share) with the time
 * bounds of {@link DatabaseConfig}, which the {@code quarkus.datasource.reactive.*} settings do not
 * offer. Without them a frozen connection holds its request forever, a full pool queues requests
 * for 30 s, a connection attempt the server never answers holds its pool slot for good, and a
 * transaction cut off by a frozen network keeps its locks on the server. The maintenance pool
 * ({@link MaintenancePool}) is made the same way, the server bounding its statements instead.
 */
@Singleton
class DatabasePoolCreator implements PgPoolCreator {

    private final DatabaseConfig config;
    private final DatabaseConnectOptions connectOptions;

    DatabasePoolCreator(DatabaseConfig config, DatabaseConnectOptions connectOptions) {
        this.config = config;
        this.connectOptions = connectOptions;
    }

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> hosts = input.pgConnectOptionsList();
        // The stall bound closes only this end: behind a half-open network the server keeps the
        // transaction, and its locks (an account's passcode lock, a factor's row), until TCP
        // keepalive notices hours later. A transaction idle twice that long has lost its client
        // (whose own bound would have closed any connection silent for half of it), so the server
        // ends it and the account's next request is served.
        String abandonedTransaction =
                String.valueOf(millis(config.stallTimeout().multipliedBy(2)));
        for (PgConnectOptions connect : hosts) {
            connect.setConnectTimeout(millis(config.connectTimeout()));
            connect.setIdleTimeout(millis(config.stallTimeout()));
            connect.setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
            connect.addProperty("idle_in_transaction_session_timeout", abandonedTransaction);
        }
        connectOptions.configured(hosts);
        return pool(input.vertx(), hosts, input.poolOptions());
    }

    /**
     * A pool over {@code hosts} (connect options as {@link #create} configures them) with the
     * acquire bound, idle connections retired before the hosts' own idle bound could close them, and
     * every connection setup bounded as a whole.
     */
    @SuppressWarnings("deprecation") // Quarkus casts the result to PgPool, which only PgPool.pool returns
    PgPool pool(Vertx vertx, List<PgConnectOptions> hosts, PoolOptions options) {
        // The pool retires an idle connection well before the stall timeout would close it: a close
        // racing a request that had just borrowed the connection failed that request with 503.
        Duration retireIdle = config.stallTimeout().dividedBy(2);
        options.setConnectionTimeout(millis(config.acquireTimeout()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(millis(retireIdle))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setPoolCleanerPeriod(millis(retireIdle.dividedBy(2)));
        PgPool created = PgPool.pool(vertx, hosts, options);
        // The connect timeout above bounds only the TCP connect; a handshake the server never answers
        // would hold its pool slot forever (BoundedConnect).
        created.connectionProvider(new BoundedConnect(vertx, hosts, millis(config.connectTimeout())));
        return created;
    }

    static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }
}
