package dev.twofold.mailauth;

import dev.twofold.testing.PostgresTestDatabase;
import dev.twofold.testing.TcpProxy;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The profile of the fault tests on the credential-change listener: the service reaches PostgreSQL
 * reactively (pool and listener) through a {@link TcpProxy}, which the test gets in a field marked
 * {@link Proxy}; Flyway and the tests' JDBC go direct.
 */
public class DatabaseThroughProxy implements QuarkusTestProfile {

    /** Marks the test's {@link TcpProxy} field. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Proxy {}

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxiedDatabase.class));
    }

    /** A test database of its own, its reactive URL pointing at the proxy; started after (and winning over) the default one. */
    public static class ProxiedDatabase extends PostgresTestDatabase {

        private TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            Map<String, String> properties = new HashMap<>(super.start());
            URI direct = URI.create(properties.get("quarkus.datasource.reactive.url"));
            proxy = TcpProxy.to(direct.getHost(), direct.getPort());
            properties.put("quarkus.datasource.reactive.url",
                    "postgresql://127.0.0.1:" + proxy.port() + direct.getPath());
            return properties;
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(proxy, new TestInjector.AnnotatedAndMatchesType(Proxy.class, TcpProxy.class));
        }

        @Override
        public void stop() {
            if (proxy != null) {
                proxy.close();
            }
            super.stop();
        }

        @Override
        public int order() {
            return 1;
        }
    }
}
