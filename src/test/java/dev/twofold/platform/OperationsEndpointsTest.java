package dev.twofold.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void servesTheHandWrittenContract() {
        given().accept("application/yaml")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("operationId: verifyMailLogin"))
                .body(containsString("https://twofold.dev/problems/"));
    }

    @Inject
    Scheduler scheduler;

    @Test
    void readinessChecksTheReactivePoolOnly() {
        // The JDBC connection serves the migrations at start only: readiness is the reactive pool alone.
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", contains(containsString("Reactive PostgreSQL")));
    }

    @Test
    void scheduledJobsRunOnceStartUpHasSucceeded() {
        // Halted by configuration until every start-up check has passed, then resumed.
        assertEquals("halted", ConfigProvider.getConfig().getValue("quarkus.scheduler.start-mode", String.class));
        assertTrue(scheduler.isRunning());
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
