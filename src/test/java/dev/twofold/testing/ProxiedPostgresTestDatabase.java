package dev.twofold.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link PostgresTestDatabase} that the service's reactive pool reaches through a {@link TcpProxy},
 * so fault tests can cut, slow down or freeze the service's database connections. Flyway (JDBC) and
 * the tests' own SQL go direct. Use with a test profile that disables the global test resources.
 */
public class ProxiedPostgresTestDatabase extends PostgresTestDatabase {

    private static volatile TcpProxy proxy;

    /** The proxy between the running application's reactive pool and PostgreSQL. */
    public static TcpProxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException("No proxied test database is running");
        }
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        URI direct = URI.create(config.get("quarkus.datasource.reactive.url"));
        proxy = TcpProxy.to(direct.getHost(), direct.getPort());
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + direct.getPath());
        return config;
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        super.stop();
    }
}
