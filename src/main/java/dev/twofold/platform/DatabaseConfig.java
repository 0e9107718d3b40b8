package dev.twofold.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Time bounds on the reactive PostgreSQL pool, so a database that is down, slow or cut off by a
 * half-open network answers callers with 503 within seconds instead of holding their requests.
 */
@ConfigMapping(prefix = "twofold.database")
interface DatabaseConfig {

    /**
     * Longest the setup of a new connection may take as a whole: TCP connect, TLS, startup and
     * authentication, for the pool's connections and the change listener's. An attempt the server
     * accepts but never answers fails at this bound and frees its pool slot for the next one.
     */
    @WithDefault("3S")
    Duration connectTimeout();

    /** Longest a request waits for a free pooled connection (all of them busy or being opened). */
    @WithDefault("3S")
    Duration acquireTimeout();

    /**
     * A connection on which no byte moves in either direction for this long is closed: a frozen
     * network or a stalled server. Idle pooled connections are retired by the pool after half of
     * it (and reopened on demand), so this never closes one under a request that just borrowed it.
     * The server ends a transaction left idle for twice this long (its client is gone), releasing
     * its locks. Bounds the statements of requests (milliseconds in practice), which it must
     * exceed; maintenance statements are bounded by {@link #maintenanceStatementTimeout()} instead.
     */
    @WithDefault("5S")
    Duration stallTimeout();

    /**
     * Longest a maintenance statement may run, ended by the server: the boot's key counts, the
     * rotation counts and the security event purge, which scan whole tables and may legitimately
     * send nothing for far longer than the stall timeout (which does not apply to them).
     */
    @WithDefault("10M")
    Duration maintenanceStatementTimeout();
}
