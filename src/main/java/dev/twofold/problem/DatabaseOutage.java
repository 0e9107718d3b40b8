package dev.twofold.problem;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Tells failures that mean "PostgreSQL cannot be reached right now" (restart, network cut, frozen
 * or refused connections, pool exhausted by a slow database) from real defects, so callers get a
 * retryable 503 {@code service-unavailable} instead of a 500. Such failures arrive bare from the
 * Vert.x client or wrapped by Hibernate Reactive, hence the walk down the causes.
 */
public final class DatabaseOutage {

    /**
     * What callers are told to wait: the pool reconnects on the first request after the database
     * is back, so a short wait is enough; load balancers follow readiness, not this.
     */
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    /**
     * SQLSTATEs of a server that is going away or not there yet: admin/crash shutdown, starting
     * up, too many connections, statement cancelled (timeout). Class 08 (connection) is matched as a class.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "57014");

    private static final List<String> VERTX_UNAVAILABLE_MESSAGES = List.of("Timeout", "Connection is not active");
    private static final int MAX_CAUSES = 16;
    private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();
    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);
    private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private static final AtomicLong unlogged = new AtomicLong();

    private DatabaseOutage() {}

    /**
     * The 503 problem for {@code failure} if the database is unreachable, logged (at most one line
     * per ten seconds, so an outage under load does not flood the log); empty for any other failure.
     */
    public static Optional<ProblemException> asProblem(Throwable failure, String path) {
        Throwable cause = connectionFailure(failure);
        if (cause == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.warnf(
                    "Database unavailable (%s: %s) on %s; %d more such failures since the last report",
                    cause.getClass().getName(), cause.getMessage(), path, unlogged.getAndSet(0));
        } else {
            unlogged.incrementAndGet();
        }
        return Optional.of(new ProblemException(
                ProblemType.SERVICE_UNAVAILABLE, "The database is unavailable; try again shortly.", RETRY_AFTER));
    }

    /** The cause that shows the database unreachable, or null. */
    static Throwable connectionFailure(Throwable failure) {
        return connectionFailure(failure, 0);
    }

    private static Throwable connectionFailure(Throwable failure, int depth) {
        if (failure == null || depth >= MAX_CAUSES) {
            return null;
        }
        if (isConnectionFailure(failure)) {
            return failure;
        }
        // Hibernate Reactive reports the failed statement and the failed rollback after it together.
        if (failure instanceof CompositeException composite) {
            for (Throwable cause : composite.getCauses()) {
                Throwable found = connectionFailure(cause, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return connectionFailure(failure.getCause(), depth + 1);
    }

    private static boolean isConnectionFailure(Throwable failure) {
        if (failure instanceof PgException pg) {
            String state = pg.getSqlState();
            return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
        }
        // Closed mid-command (restart, reset, stall timeout); refused or timed-out connects (netty's
        // ConnectTimeoutException is a ConnectException).
        if (failure instanceof ClosedConnectionException
                || failure instanceof ClosedChannelException
                || failure instanceof SocketException) {
            return true;
        }
        // Vert.x reports the pool's acquisition timeout and use of a connection closed under it only in words.
        String message = String.valueOf(failure.getMessage());
        return (failure instanceof VertxException || failure instanceof NoStackTraceThrowable)
                && VERTX_UNAVAILABLE_MESSAGES.stream().anyMatch(message::startsWith);
    }
}
