package dev.twofold.platform;

import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The pool for maintenance statements, which may legitimately run for minutes without a byte on the
 * wire: counting or updating every row of a large table at boot or in a key rotation, purging old
 * events. On the request pool the stall bound closes a connection silent that long (from the client a
 * frozen connection and a statement still running look the same), so here the server bounds each
 * statement ({@code statement_timeout}) and answers with an error when it is exceeded.
 *
 * <p>No stall bound, and none in its place on the client: on a frozen connection a bound's close
 * did not end the statement waiting there (vertx-pg-client 4.5 first sends Terminate through the
 * frozen link). TCP keepalive ends a connection whose peer is gone, at the operating system's
 * keepalive times; a caller that must not wait that long bounds its own wait (the boot check).
 *
 * <p>Same hosts, credentials, TLS and other time bounds as the request pool; few connections, which
 * the pool retires when idle, so they exist only while maintenance runs.
 */
@Singleton
class MaintenancePool {

    /** Boot, a rotation call and a purge may overlap; more would only compete for the same disks. */
    static final int MAX_SIZE = 4;

    private final DatabasePoolCreator creator;
    private final DatabaseConnectOptions connectOptions;
    private final DatabaseConfig config;

    MaintenancePool(DatabasePoolCreator creator, DatabaseConnectOptions connectOptions, DatabaseConfig config) {
        this.creator = creator;
        this.connectOptions = connectOptions;
        this.config = config;
    }

    @Produces
    @Maintenance
    @Singleton
    Pool pool(Vertx vertx) {
        List<PgConnectOptions> hosts = connectOptions.copyAll();
        for (PgConnectOptions connect : hosts) {
            connect.setIdleTimeout(0);
            connect.setTcpKeepAlive(true);
            connect.addProperty(
                    "statement_timeout",
                    String.valueOf(DatabasePoolCreator.millis(config.maintenanceStatementTimeout())));
        }
        PoolOptions options = new PoolOptions().setMaxSize(MAX_SIZE);
        return Pool.newInstance(creator.pool(vertx, hosts, options));
    }

    void close(@Disposes @Maintenance Pool pool) {
        pool.closeAndForget();
    }
}
