package dev.twofold.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each application boot under test a database of its own on the local PostgreSQL, created on
 * start and dropped on stop, so test runs never share state. Host and port come from
 * {@code TWOFOLD_TEST_PG_HOST} / {@code TWOFOLD_TEST_PG_PORT} (default 127.0.0.1:5432, user postgres).
 */
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {

    private static final String HOST = env("TWOFOLD_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = env("TWOFOLD_TEST_PG_PORT", "5432");
    private static final String USER = env("TWOFOLD_TEST_PG_USER", "postgres");

    private String database;

    @Override
    public Map<String, String> start() {
        database =
                "twofold_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create database " + database);
        return Map.of(
                "quarkus.datasource.reactive.url",
                "postgresql://" + HOST + ":" + PORT + "/" + database,
                "quarkus.datasource.jdbc.url",
                jdbcUrl(database),
                "quarkus.datasource.username",
                USER);
    }

    @Override
    public void stop() {
        if (database != null) {
            execute("drop database if exists " + database + " with (force)");
        }
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed on " + HOST + ":" + PORT, e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
