package dev.twofold.platform;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/**
 * The connect options of the reactive pool as {@link DatabasePoolCreator} configured them (host,
 * database, credentials, TLS, and the time bounds of {@link DatabaseConfig}), for a connection that
 * must live outside the pool: the credential change listener, which holds its connection for good.
 */
@Singleton
public class DatabaseConnectOptions {

    private final Instance<Pool> pool;
    private volatile PgConnectOptions configured;

    DatabaseConnectOptions(Instance<Pool> pool) {
        this.pool = pool;
    }

    void configured(PgConnectOptions options) {
        this.configured = options;
    }

    /** A copy of the options the pool connects with (its first host, when it has several). */
    public PgConnectOptions copy() {
        if (configured == null) {
            // Only the pool's creator sees the options Quarkus derives from quarkus.datasource.*; the
            // call (its result unused) creates the service's one pool, which opens no connection yet.
            pool.get().size();
        }
        return new PgConnectOptions(configured);
    }
}
