package dev.twofold.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Plain JDBC on the database of the running test application, for what the API cannot do: state
 * set up by other features (two-factor on), inspection of stored rows, and playing a second replica
 * on the credential-change channel.
 */
public final class Jdbc {

    private static final String CHANNEL = "twofold_credentials";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Jdbc() {}

    public static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                "");
    }

    /** Runs one statement; returns the update count. */
    public static int update(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a query, each as an array of column values. */
    public static List<Object[]> query(String sql, Object... parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                List<Object[]> result = new ArrayList<>();
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rows.getObject(i + 1);
                    }
                    result.add(row);
                }
                return result;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String sql, Object... parameters) {
        return ((Number) query(sql, parameters).get(0)[0]).longValue();
    }

    /**
     * Acts as another replica: runs {@code sql} and NOTIFYs the change in one transaction, then
     * waits (up to 10 s) for the application's acknowledgement, exactly as a revoking replica does.
     *
     * @param kind {@code p} (passcodes), {@code t} (two-factor state), {@code e} (erasure) or {@code d}
     *     (domain policy)
     * @param subject the account, or the domain for {@code d}
     */
    public static void changeAsOtherReplica(char kind, String subject, String sql, Object... parameters) {
        long seq = SEQUENCE.incrementAndGet();
        try (Connection connection = connect()) {
            try (var listen = connection.createStatement()) {
                listen.execute("LISTEN " + CHANNEL);
            }
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                statement.executeUpdate();
            }
            try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, "c|other-replica|" + seq + "|" + kind + "|" + subject);
                notify.executeQuery().close();
            }
            connection.commit();
            connection.setAutoCommit(true);
            awaitAcknowledgement(connection.unwrap(PGConnection.class), "a|other-replica|" + seq + "|");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Turns two-factor authentication on as the TOTP feature would (a totp_factor row), telling every replica. */
    public static void enableTwoFactor(String accountId) {
        changeAsOtherReplica('t', accountId, """
                insert into totp_factor (account_id, seed_ciphertext, seed_key_id, algorithm, digits,
                                         period_seconds, enabled_at, last_step)
                values (?, '\\x00', 'test', 'SHA1', 6, 30, now(), 0)""", accountId);
    }

    private static void awaitAcknowledgement(PGConnection connection, String prefix) {
        // Each poll waits up to 200 ms for notifications to arrive, so no poll interval is needed on top.
        Awaitility.await("The application did not acknowledge the change within 10 s")
                .atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> acknowledged(connection.getNotifications(200), prefix));
    }

    private static boolean acknowledged(PGNotification[] notifications, String prefix) {
        if (notifications != null) {
            for (PGNotification notification : notifications) {
                if (notification.getParameter().startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
