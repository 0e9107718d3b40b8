package dev.twofold.platform;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.SqlConnectOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.spi.ConnectionFactory;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Opens the pool's connections, over its hosts in turn as Vert.x does, each attempt bounded as a
 * whole (TCP connect, TLS, startup and authentication) by {@code twofold.database.connect-timeout}.
 *
 * <p>Vert.x bounds only the TCP connect. An attempt whose server accepts and then never answers (a
 * frozen network path, a proxy that accepts but does not forward, a PostgreSQL hung in
 * authentication) never completes in vertx-pg-client 4.5: the stall bound's close sends Terminate
 * and waits for the server to end the connection, which it never does. The pool counts such an
 * attempt as a connection being opened for good, and once every slot is lost that way it opens no
 * connection until the service restarts. Here the attempt fails at the bound, which frees its slot
 * for the next acquisition, and a connection that completes after the bound is closed on arrival.
 * The abandoned socket itself stays half-closed until the server or the network ends it (for a
 * server hung in authentication, PostgreSQL's {@code authentication_timeout}): Vert.x offers no
 * handle on it before the attempt completes.
 */
final class BoundedConnect implements Function<Context, Future<SqlConnection>> {

    private final Vertx vertx;
    private final ConnectionFactory factory;
    private final long boundMillis;

    /** Its factory is never closed on its own: its sockets go with Vert.x's event loops at shutdown. */
    BoundedConnect(Vertx vertx, List<PgConnectOptions> hosts, long boundMillis) {
        this.vertx = vertx;
        this.factory = PgDriver.INSTANCE.createConnectionFactory(vertx, inTurn(hosts));
        this.boundMillis = boundMillis;
    }

    @Override
    public Future<SqlConnection> apply(Context context) {
        Promise<SqlConnection> attempt = Promise.promise();
        long bound = vertx.setTimer(
                boundMillis,
                id -> context.runOnContext(ignored -> attempt.tryFail(new ConnectException(
                        "PostgreSQL did not complete the connection setup within " + boundMillis + " ms"))));
        factory.connect(context).onComplete(result -> {
            vertx.cancelTimer(bound);
            if (result.failed()) {
                attempt.tryFail(result.cause());
            } else if (!attempt.tryComplete(result.result())) {
                // Given up at the bound: the pool never saw this connection, so nothing else would close it.
                result.result().close();
            }
        });
        return attempt.future();
    }

    private static Supplier<Future<SqlConnectOptions>> inTurn(List<PgConnectOptions> hosts) {
        List<PgConnectOptions> copy = List.copyOf(hosts);
        AtomicInteger next = new AtomicInteger();
        return () -> Future.succeededFuture(copy.get(Math.floorMod(next.getAndIncrement(), copy.size())));
    }
}
