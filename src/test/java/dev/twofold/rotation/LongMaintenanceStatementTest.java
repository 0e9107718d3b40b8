package dev.twofold.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.KeyRing;
import dev.twofold.platform.DatabaseFaultsProfile;
import dev.twofold.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Maintenance statements that send nothing for longer than the stall timeout, here the boot's key
 * counts waiting for a table another session holds locked (as they wait behind a migration, or count
 * a large table), run to their end; the server ends one at the maintenance statement timeout.
 * (Requests keep the stall bound: DatabaseFaultsTest.)
 */
@QuarkusTest
@TestProfile(DatabaseFaultsProfile.class)
class LongMaintenanceStatementTest {

    /** SQLSTATE query_canceled, as PostgreSQL reports a statement ended by {@code statement_timeout}. */
    private static final String CANCELED = "57014";

    private final Duration stall = setting("twofold.database.stall-timeout");
    private final Duration statementTimeout = setting("twofold.database.maintenance-statement-timeout");

    @Inject
    RemovedKeyGuard guard;

    @Inject
    KeyRing ring;

    @Test
    void theBootCheckWaitsOutAStatementLongerThanTheStallTimeout() throws Throwable {
        Duration held = stall.plusMillis(1500);
        assertTrue(held.compareTo(statementTimeout) < 0, "the wait must fit the maintenance statement timeout");
        long started = System.nanoTime();
        try (Connection lock = lockTheFactorTable()) {
            CompletableFuture.runAsync(
                    () -> rollback(lock), CompletableFuture.delayedExecutor(held.toMillis(), TimeUnit.MILLISECONDS));

            VertxContextSupport.subscribeAndAwait(() -> guard.check(ring));
        }
        Duration took = since(started);
        assertTrue(took.compareTo(held) >= 0, "the check waited for the lock: " + took);
    }

    @Test
    void theServerEndsAMaintenanceStatementAtItsTimeout() throws SQLException {
        long started = System.nanoTime();
        Throwable failure;
        try (Connection lock = lockTheFactorTable()) {
            failure =
                    assertThrows(Throwable.class, () -> VertxContextSupport.subscribeAndAwait(() -> guard.check(ring)));
        }
        Duration took = since(started);
        assertTrue(failure instanceof PgException, () -> "ended by the server, not cut off: " + failure);
        assertEquals(CANCELED, ((PgException) failure).getSqlState(), failure::toString);
        assertTrue(took.compareTo(statementTimeout) >= 0, "ended at the timeout, not before: " + took);
        assertTrue(took.compareTo(statementTimeout.multipliedBy(2)) < 0, "ended at the timeout, not later: " + took);
    }

    /** A session holding {@code totp_factor} locked against every reader until it rolls back or closes. */
    private static Connection lockTheFactorTable() throws SQLException {
        Connection connection = Jdbc.connect();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("lock table totp_factor in access exclusive mode");
        }
        return connection;
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static Duration setting(String name) {
        return ConfigProvider.getConfig().getValue(name, Duration.class);
    }
}
