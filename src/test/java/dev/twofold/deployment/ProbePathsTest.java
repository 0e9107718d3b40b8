package dev.twofold.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.deployment.DeploymentFiles.Probe;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every path that a probe, health check or scraper in deploy/ or k8s/ requests is served by the application. */
@QuarkusTest
class ProbePathsTest {

    @Test
    void deploymentFilesProbeKubernetesStyleHealthEndpoints() {
        Set<String> paths = new TreeSet<>();
        DeploymentFiles.probes().forEach(p -> paths.add(p.path()));
        assertTrue(
                paths.containsAll(List.of("/q/health/ready", "/q/health/live", "/q/health/started", "/q/metrics")),
                "Probed paths: " + paths);
    }

    @Test
    void everyHealthPathAnswersUp() {
        List<Probe> probes = DeploymentFiles.probes();
        assertFalse(probes.isEmpty());
        probes.stream()
                .map(Probe::path)
                .filter(p -> p.startsWith("/q/health"))
                .distinct()
                .forEach(path -> given().get(path).then().statusCode(200).body("status", equalTo("UP")));
    }

    @Test
    void everyScrapedPathServesMetrics() {
        DeploymentFiles.probes().stream()
                .map(Probe::path)
                .filter(p -> !p.startsWith("/q/health"))
                .distinct()
                .forEach(path -> given().accept("text/plain")
                        .get(path)
                        .then()
                        .statusCode(200)
                        .contentType(startsWith("text/plain"))
                        .body(containsString("# TYPE jvm_")));
    }
}
