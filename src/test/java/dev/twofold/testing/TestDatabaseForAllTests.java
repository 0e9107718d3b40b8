package dev.twofold.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link PostgresTestDatabase} for every Quarkus test and integration test in the suite. */
@QuarkusTestResource(PostgresTestDatabase.class)
public final class TestDatabaseForAllTests {

    private TestDatabaseForAllTests() {}
}
