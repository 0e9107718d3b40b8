package dev.twofold.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.TcpProxy;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The time bounds as the pool and its connections receive them. */
class DatabasePoolCreatorTest {

    private final Vertx vertx = Vertx.vertx();
    private final PoolOptions poolOptions = new PoolOptions().setMaxSize(20);
    private final PgConnectOptions connectOptions =
            new PgConnectOptions().setHost("127.0.0.1").setDatabase("twofold");
    private final DatabaseConnectOptions recorded = new DatabaseConnectOptions(null);

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void everyConnectionGetsTheConnectAndStallBounds() {
        create(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(7));

        assertEquals(2000, connectOptions.getConnectTimeout());
        assertEquals(7000, connectOptions.getIdleTimeoutUnit().toMillis(connectOptions.getIdleTimeout()));
        assertEquals(1500, poolOptions.getConnectionTimeoutUnit().toMillis(poolOptions.getConnectionTimeout()));
    }

    /** The change listener's connection lives outside the pool: a frozen one must be noticed all the same. */
    @Test
    void theConnectionOutsideThePoolGetsTheSameHostAndBounds() {
        create(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(7));

        PgConnectOptions listener = recorded.copy();
        assertEquals("127.0.0.1", listener.getHost());
        assertEquals("twofold", listener.getDatabase());
        assertEquals(2000, listener.getConnectTimeout());
        assertEquals(7000, listener.getIdleTimeoutUnit().toMillis(listener.getIdleTimeout()));
    }

    /**
     * Behind a half-open network the stall bound closes only the service's end; the server must end
     * the transaction left behind, or its locks block the account until TCP keepalive, hours later.
     */
    @Test
    void theServerEndsATransactionWhoseClientStalledAway() {
        create(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(7));

        assertEquals("14000", connectOptions.getProperties().get("idle_in_transaction_session_timeout"));
    }

    /**
     * The stall bound closes a silent connection; were an idle pooled one closed that way, the close
     * could land just after a request borrowed it and fail that request. The pool's own retirement
     * (checked once per cleaner period) must always come first.
     */
    @Test
    void idleConnectionsAreRetiredByThePoolBeforeTheStallBoundCouldCloseThem() {
        for (Duration stall : List.of(Duration.ofMillis(400), Duration.ofSeconds(5), Duration.ofMinutes(2))) {
            create(Duration.ofSeconds(3), Duration.ofSeconds(3), stall);

            long retiredAtLatest = poolOptions.getIdleTimeoutUnit().toMillis(poolOptions.getIdleTimeout())
                    + poolOptions.getPoolCleanerPeriod();
            assertTrue(poolOptions.getIdleTimeout() > 0, "idle connections are never retired by the pool");
            assertTrue(
                    retiredAtLatest < stall.toMillis(),
                    "an idle connection may live " + retiredAtLatest + " ms, the stall bound closes it at " + stall);
        }
    }

    /**
     * A server that accepts and never answers (a proxy that does not forward, a PostgreSQL hung in
     * authentication) must cost an attempt, not a pool slot: Vert.x bounds only the TCP connect, and
     * a slot whose handshake never completes was lost for good, until the pool opened nothing more.
     */
    @Test
    void aHandshakeTheServerNeverAnswersFailsAtTheConnectBoundAndFreesItsSlot() {
        try (TcpProxy first = stallingServer();
                TcpProxy second = stallingServer()) {
            poolOptions.setMaxSize(1);
            Pool pool = create(
                    Duration.ofMillis(300),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    List.of(host(first), host(second)));

            for (int attempt = 0; attempt < 3; attempt++) {
                long started = System.nanoTime();
                CompletionException failure = assertThrows(
                        CompletionException.class,
                        () -> pool.getConnection()
                                .toCompletionStage()
                                .toCompletableFuture()
                                .join());
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                assertInstanceOf(ConnectException.class, failure.getCause());
                assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "attempt " + attempt + " took " + took);
            }

            assertEquals(2, first.stalled().size(), "attempts go to the hosts in turn");
            assertEquals(1, second.stalled().size(), "attempts go to the hosts in turn");
            // The abandoned sockets are closed by the stall bound: nothing moved on them.
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> first.stalled().stream().noneMatch(TcpProxy.Stalled::open)
                            && second.stalled().stream().noneMatch(TcpProxy.Stalled::open));
        }
    }

    private static TcpProxy stallingServer() {
        TcpProxy server = TcpProxy.to("127.0.0.1", 9);
        server.stallNew();
        return server;
    }

    private static PgConnectOptions host(TcpProxy server) {
        return new PgConnectOptions()
                .setHost("127.0.0.1")
                .setPort(server.port())
                .setDatabase("twofold")
                .setUser("twofold");
    }

    private void create(Duration connect, Duration acquire, Duration stall) {
        create(connect, acquire, stall, List.of(connectOptions)).close();
    }

    private Pool create(Duration connect, Duration acquire, Duration stall, List<PgConnectOptions> hosts) {
        DatabaseConfig config = new DatabaseConfig() {
            @Override
            public Duration connectTimeout() {
                return connect;
            }

            @Override
            public Duration acquireTimeout() {
                return acquire;
            }

            @Override
            public Duration stallTimeout() {
                return stall;
            }

            @Override
            public Duration maintenanceStatementTimeout() {
                return Duration.ofMinutes(1);
            }
        };
        return new DatabasePoolCreator(config, recorded).create(new PgPoolCreator.Input() {
            @Override
            public Vertx vertx() {
                return vertx;
            }

            @Override
            public PoolOptions poolOptions() {
                return poolOptions;
            }

            @Override
            public List<PgConnectOptions> pgConnectOptionsList() {
                return hosts;
            }
        });
    }
}
