package dev.twofold.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The service's pool keeps each connection's statements prepared on the server
 * (quarkus.datasource.reactive.cache-prepared-statements): without it PostgreSQL parsed and planned
 * the sign-in's statements on every execution (bench/README.md, "Where a sign-in's time goes").
 */
@QuarkusTest
class PreparedStatementCacheTest {

    private static final String STATEMENT = "select $1::text as prepared_statement_cache_probe";

    @Inject
    Pool pool;

    @Test
    void aStatementStaysPreparedOnItsConnectionAfterItRan() {
        long prepared = pool.withConnection(connection -> connection
                        .preparedQuery(STATEMENT)
                        .execute(Tuple.of("probe"))
                        .flatMap(ran -> connection
                                .preparedQuery("select count(*) from pg_prepared_statements where statement = $1")
                                .execute(Tuple.of(STATEMENT))))
                .map(rows -> rows.iterator().next().getLong(0))
                .await()
                .atMost(Duration.ofSeconds(10));
        assertEquals(1, prepared);
    }
}
