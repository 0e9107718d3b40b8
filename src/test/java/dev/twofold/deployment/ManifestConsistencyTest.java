package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twofold.deployment.DeploymentFiles.Probe;
import dev.twofold.deployment.DeploymentFiles.Variable;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Ports, secret references and pod hardening in the deployment files agree with the application and the brief. */
class ManifestConsistencyTest {

    /** Settings that hold secret material: in Kubernetes they come from a Secret, never from a value. */
    private static final Set<String> SECRET_SETTINGS = Set.of("TWOFOLD_ENCRYPTION_KEYS", "QUARKUS_DATASOURCE_PASSWORD");

    private static final String BASE_DEPLOYMENT = "k8s/base/deployment.yaml";

    @Test
    void applicationListensOnThePortTheDeploymentFilesUse() {
        int port = applicationHttpPort();
        assertEquals(8080, port);
        for (Variable variable : DeploymentFiles.manifestVariables()) {
            if (variable.name().equals("QUARKUS_HTTP_PORT")) {
                assertEquals(String.valueOf(port), variable.value(), variable.file() + " moves the port");
            }
        }
        for (Probe probe : DeploymentFiles.probes()) {
            assertTrue(
                    probe.port() == null
                            || probe.port().equals("http")
                            || probe.port().equals(String.valueOf(port)),
                    probe + " uses another port");
        }
    }

    @Test
    void kubernetesPortNamedHttpIsTheApplicationPort() {
        List<JsonNode> ports = new ArrayList<>();
        for (var file : Repository.yamlFilesUnder(DeploymentFiles.KUBERNETES)) {
            for (JsonNode document : Repository.yamlDocuments(file)) {
                DeploymentFiles.walk(document, node -> {
                    if (node.has("containerPort")) {
                        ports.add(node);
                    }
                });
            }
        }
        assertFalse(ports.isEmpty());
        for (JsonNode port : ports) {
            assertEquals(applicationHttpPort(), port.path("containerPort").asInt());
            assertEquals("http", port.path("name").asText());
        }
        JsonNode service = Repository.yaml("k8s/base/service.yaml");
        service.path("spec")
                .path("ports")
                .forEach(p -> assertEquals("http", p.path("targetPort").asText()));
    }

    @Test
    void composeAndContainerfileExposeTheApplicationPort() {
        String port = String.valueOf(applicationHttpPort());
        List<String> published = DeploymentFiles.texts(Repository.yaml(DeploymentFiles.COMPOSE)
                .path("services")
                .path("twofold")
                .path("ports"));
        assertFalse(published.isEmpty());
        published.forEach(p -> assertTrue(p.endsWith(":" + port), "compose publishes " + p));
        List<String> exposed = Containerfile.parse(DeploymentFiles.CONTAINERFILE).all("EXPOSE").stream()
                .map(Containerfile.Instruction::arguments)
                .toList();
        assertEquals(List.of(port), exposed);
    }

    @Test
    void kubernetesSecretSettingsComeFromSecretReferences() {
        Set<String> seen = new TreeSet<>();
        for (var file : Repository.yamlFilesUnder(DeploymentFiles.KUBERNETES)) {
            for (JsonNode document : Repository.yamlDocuments(file)) {
                DeploymentFiles.walk(
                        document,
                        node -> node.path("env").forEach(env -> {
                            String name = env.path("name").asText();
                            if (SECRET_SETTINGS.contains(name)) {
                                seen.add(name);
                                assertFalse(env.has("value"), name + " has a literal value in " + file);
                                assertTrue(
                                        env.path("valueFrom").has("secretKeyRef"),
                                        name + " not from a Secret in " + file);
                            }
                        }));
            }
        }
        assertEquals(SECRET_SETTINGS, seen);
        DeploymentFiles.kubernetesVariables()
                .forEach(v -> assertFalse(
                        SECRET_SETTINGS.contains(v.name()) && !v.value().isEmpty(),
                        v.name() + " has a value in " + v.file()));
    }

    @Test
    void assertionSigningKeyIsTheMountedSecretFile() {
        JsonNode pod =
                Repository.yaml(BASE_DEPLOYMENT).path("spec").path("template").path("spec");
        String location = DeploymentFiles.kubernetesVariables().stream()
                .filter(v -> v.name().equals("SMALLRYE_JWT_SIGN_KEY_LOCATION"))
                .findFirst()
                .orElseThrow()
                .value();
        JsonNode mount = find(pod.path("containers").get(0).path("volumeMounts"), "name", "assertion-key");
        JsonNode volume = find(pod.path("volumes"), "name", "assertion-key");
        String file = volume.path("secret").path("items").get(0).path("path").asText();
        assertEquals(mount.path("mountPath").asText() + "/" + file, location);
        assertTrue(mount.path("readOnly").asBoolean());
    }

    @Test
    void podRunsUnprivilegedOnAReadOnlyRootFilesystem() {
        JsonNode pod =
                Repository.yaml(BASE_DEPLOYMENT).path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        JsonNode security = container.path("securityContext");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        assertTrue(pod.path("securityContext").path("runAsUser").asInt() > 0);
        assertEquals(
                "RuntimeDefault",
                pod.path("securityContext").path("seccompProfile").path("type").asText());
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals(
                List.of("ALL"),
                DeploymentFiles.texts(security.path("capabilities").path("drop")));
        JsonNode tmp = find(container.path("volumeMounts"), "mountPath", "/tmp");
        assertTrue(find(pod.path("volumes"), "name", tmp.path("name").asText()).has("emptyDir"));
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));
    }

    @Test
    void podHasProbesAndResourceBounds() {
        JsonNode container = Repository.yaml(BASE_DEPLOYMENT)
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        assertEquals(
                "/q/health/ready",
                container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals(
                "/q/health/live",
                container.path("livenessProbe").path("httpGet").path("path").asText());
        assertTrue(container.path("startupProbe").has("httpGet"));
        assertTrue(container.path("resources").path("requests").has("cpu"));
        assertTrue(container.path("resources").path("requests").has("memory"));
        assertTrue(container.path("resources").path("limits").has("memory"));
        assertTrue(
                Repository.yaml(BASE_DEPLOYMENT).path("spec").path("replicas").asInt() >= 2);
    }

    /** quarkus.http.port as the prod profile sees it: application.properties, else Quarkus' own default. */
    static int applicationHttpPort() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repository.read("src/main/resources/application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String configured =
                properties.getProperty("%prod.quarkus.http.port", properties.getProperty("quarkus.http.port"));
        if (configured == null) {
            configured = ConfigurationCatalog.load()
                    .setting("quarkus.http.port")
                    .orElseThrow()
                    .defaultValue();
        }
        return Integer.parseInt(configured.strip());
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("No entry with " + field + "=" + value + " in " + array);
    }
}
