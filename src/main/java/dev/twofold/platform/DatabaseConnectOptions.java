package dev.twofold.platform;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The connect options of the reactive pool as {@link DatabasePoolCreator} configured them (host,
 * database, credentials, TLS, and the time bounds of {@link DatabaseConfig}), for a connection that
 * must live outside the pool: the credential change listener, which holds its connection for good,
 * and the maintenance pool's connections.
 */
@Singleton
public class DatabaseConnectOptions {

    private final Instance<Pool> pool;
    private volatile List<PgConnectOptions> configured;

    DatabaseConnectOptions(Instance<Pool> pool) {
        this.pool = pool;
    }

    void configured(List<PgConnectOptions> hosts) {
        this.configured = hosts;
    }

    /** A copy of the options the pool connects with (its first host, when it has several). */
    public PgConnectOptions copy() {
        return copyAll().get(0);
    }

    /** Copies of the options the pool connects with, one per host, in order. */
    List<PgConnectOptions> copyAll() {
        if (configured == null) {
            // Only the pool's creator sees the options Quarkus derives from quarkus.datasource.*; the
            // call (its result unused) creates the service's request pool, which opens no connection yet.
            pool.get().size();
        }
        return configured.stream().map(PgConnectOptions::new).toList();
    }
}
