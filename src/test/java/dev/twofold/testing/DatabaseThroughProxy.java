package dev.twofold.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/**
 * A test profile whose service reaches PostgreSQL reactively (pool and change listener) through a
 * {@link TcpProxy} ({@link ProxiedPostgresTestDatabase#proxy()}); Flyway and the tests' JDBC go direct.
 * Fault tests that need other settings extend it.
 */
public class DatabaseThroughProxy implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxiedPostgresTestDatabase.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
