package dev.twofold.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.hibernate.HibernateException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which failures mean "the database is unreachable" (503 service-unavailable) and which are defects (500). */
class DatabaseOutageTest {

    static Stream<Throwable> unreachable() {
        return Stream.of(
                ClosedConnectionException.INSTANCE,
                new ClosedChannelException(),
                new ConnectException("Connection refused"),
                new ConnectTimeoutException("connection timed out"),
                new VertxException("Timeout waiting for connection", true),
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"),
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null),
                new PgException("the database system is starting up", "FATAL", "57P03", null),
                new PgException("connection failure", "FATAL", "08006", null),
                new HibernateException(new ClosedChannelException()),
                new CompletionException(new HibernateException(ClosedConnectionException.INSTANCE)),
                new CompositeException(new IllegalStateException("HR000090: Live transaction detected"),
                        new HibernateException(new ClosedChannelException())));
    }

    @ParameterizedTest
    @MethodSource("unreachable")
    void connectionFailuresAreServiceUnavailableWithRetryAfter(Throwable failure) {
        ProblemException problem = DatabaseOutage.asProblem(failure, "/v1/mail-auth/verify").orElseThrow();
        assertEquals(ProblemType.SERVICE_UNAVAILABLE, problem.type());
        assertTrue(problem.retryAfter().isPresent());
        assertFalse(problem.detail().contains("Exception"), "no internals leak: " + problem.detail());
    }

    static Stream<Throwable> defects() {
        return Stream.of(
                new NullPointerException(),
                new IllegalStateException("HR000069: Detected use of the reactive Session from a different Thread"),
                new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null),
                new PgException("syntax error", "ERROR", "42601", null),
                new VertxException("Something else"),
                new HibernateException("mapping failed"));
    }

    @ParameterizedTest
    @MethodSource("defects")
    void otherFailuresRemainDefects(Throwable failure) {
        assertTrue(DatabaseOutage.asProblem(failure, "/v1/mail-auth/verify").isEmpty());
    }
}
