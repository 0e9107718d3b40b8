package dev.twofold.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;

/**
 * Migrates the schema (Flyway, {@code db/migration}) before anything else starts: before every other
 * start-up observer and {@code @Startup} bean, and so before the HTTP port opens. Flyway's own API
 * over a single JDBC connection (no pool) to {@code quarkus.datasource.jdbc.url}: the Flyway extension
 * would bring a JDBC pool and a transaction manager that the service, which runs on the reactive pool,
 * never uses again, yet that stay in memory for the whole run. A failed migration stops the boot.
 */
@Singleton
class SchemaMigrations {

    /** Before every other start-up observer (the {@code @Startup} beans have 2500). */
    static final int FIRST = Integer.MIN_VALUE;

    void migrate(
            @Observes @Priority(FIRST) StartupEvent event,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(url, user, password.orElse(null))
                .load()
                .migrate();
    }
}
