package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twofold.deployment.Kustomize.Rendering;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kustomizations under k8s/ render with a real kustomize, and what they render is wired
 * together: selectors match the pods, every referenced object exists or is a documented Secret.
 */
class KustomizeRenderTest {

    /** Secrets the operator creates (k8s/examples/secrets.example.yaml) or CloudNativePG generates. */
    private static final Set<String> EXTERNAL_SECRETS =
            Set.of("twofold-encryption", "twofold-assertion-key", "twofold-db", "twofold-db-app");

    static Stream<String> deployable() {
        return Stream.of("k8s/overlays/dev", "k8s/overlays/production");
    }

    static Stream<Path> kustomizations() {
        return Repository.filesUnder(DeploymentFiles.KUBERNETES).stream()
                .filter(f -> f.getFileName().toString().equals("kustomization.yaml"));
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyFileAKustomizationNamesExists(Path kustomization) {
        JsonNode k = Repository.yamlDocuments(kustomization).get(0);
        List<String> referenced = new ArrayList<>();
        referenced.addAll(DeploymentFiles.texts(k.path("resources")));
        referenced.addAll(DeploymentFiles.texts(k.path("components")));
        k.path("patches").forEach(p -> {
            if (p.has("path")) {
                referenced.add(p.path("path").asText());
            }
        });
        k.path("configMapGenerator").forEach(g -> referenced.addAll(DeploymentFiles.texts(g.path("envs"))));
        for (String reference : referenced) {
            assertTrue(
                    Files.exists(kustomization.resolveSibling(reference)),
                    Repository.relative(kustomization) + " names missing " + reference);
        }
        assertFalse(
                Repository.relative(kustomization).startsWith("k8s/examples"),
                "k8s/examples is documentation and must not be deployable");
    }

    @ParameterizedTest
    @MethodSource("deployable")
    void overlayRendersWithoutWarnings(String overlay) {
        Rendering rendering = render(overlay);
        assertEquals("", rendering.warnings());
        assertFalse(rendering.documents().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("deployable")
    void overlayRendersNoSecretValues(String overlay) {
        assertTrue(render(overlay).ofKind("Secret").isEmpty(), "Secrets are referenced, never rendered");
    }

    @ParameterizedTest
    @MethodSource("deployable")
    void everyObjectLandsInTheOverlayNamespace(String overlay) {
        Rendering rendering = render(overlay);
        String namespace = Repository.yaml(overlay + "/kustomization.yaml")
                .path("namespace")
                .asText();
        assertFalse(namespace.isEmpty());
        rendering
                .documents()
                .forEach(d -> assertEquals(
                        namespace,
                        d.path("metadata").path("namespace").asText(),
                        d.path("kind").asText() + " "
                                + d.path("metadata").path("name").asText()));
    }

    @ParameterizedTest
    @MethodSource("deployable")
    void selectorsMatchTheDeploymentsPods(String overlay) {
        Rendering rendering = render(overlay);
        JsonNode deployment = rendering.one("Deployment");
        JsonNode podLabels =
                deployment.path("spec").path("template").path("metadata").path("labels");
        assertSelects(deployment.path("spec").path("selector").path("matchLabels"), podLabels, "Deployment");
        assertSelects(rendering.one("Service").path("spec").path("selector"), podLabels, "Service");
        assertSelects(
                rendering
                        .one("PodDisruptionBudget")
                        .path("spec")
                        .path("selector")
                        .path("matchLabels"),
                podLabels,
                "PodDisruptionBudget");
        for (JsonNode policy : rendering.ofKind("NetworkPolicy")) {
            assertSelects(
                    policy.path("spec").path("podSelector").path("matchLabels"),
                    podLabels,
                    "NetworkPolicy " + policy.path("metadata").path("name").asText());
        }
        for (JsonNode monitor : rendering.ofKind("ServiceMonitor")) {
            JsonNode serviceLabels = rendering.one("Service").path("metadata").path("labels");
            assertSelects(monitor.path("spec").path("selector").path("matchLabels"), serviceLabels, "ServiceMonitor");
        }
        JsonNode target = rendering.one("HorizontalPodAutoscaler").path("spec").path("scaleTargetRef");
        assertEquals("Deployment", target.path("kind").asText());
        assertEquals(
                deployment.path("metadata").path("name").asText(),
                target.path("name").asText());
    }

    @ParameterizedTest
    @MethodSource("deployable")
    void podReferencesOnlyRenderedOrDocumentedObjects(String overlay) {
        Rendering rendering = render(overlay);
        JsonNode pod = rendering.one("Deployment").path("spec").path("template").path("spec");
        Set<String> configMaps = names(rendering.ofKind("ConfigMap"));
        assertTrue(names(rendering.ofKind("ServiceAccount"))
                .contains(pod.path("serviceAccountName").asText()));
        Set<String> secrets = new TreeSet<>();
        DeploymentFiles.walk(pod, node -> {
            if (node.has("configMapRef")) {
                assertTrue(
                        configMaps.contains(
                                node.path("configMapRef").path("name").asText()),
                        node.toString());
            }
            if (node.has("secretKeyRef")) {
                secrets.add(node.path("secretKeyRef").path("name").asText());
            }
            if (node.has("secretName")) {
                secrets.add(node.path("secretName").asText());
            }
        });
        assertTrue(EXTERNAL_SECRETS.containsAll(secrets), "Undocumented Secrets: " + secrets);
    }

    @Test
    void productionRunsThreeReplicasOnTheCloudNativePgCluster() {
        Rendering rendering = render("k8s/overlays/production");
        JsonNode deployment = rendering.one("Deployment");
        assertEquals(3, deployment.path("spec").path("replicas").asInt());
        assertEquals(
                3,
                rendering
                        .one("HorizontalPodAutoscaler")
                        .path("spec")
                        .path("minReplicas")
                        .asInt());

        String cluster = rendering.one("Cluster").path("metadata").path("name").asText();
        Set<String> databaseSecrets = new TreeSet<>();
        DeploymentFiles.walk(deployment, node -> {
            String env = node.path("name").asText();
            if (env.startsWith("QUARKUS_DATASOURCE_") && node.has("valueFrom")) {
                databaseSecrets.add(
                        node.path("valueFrom").path("secretKeyRef").path("name").asText());
            }
        });
        assertEquals(Set.of(cluster + "-app"), databaseSecrets);
        JsonNode config = rendering.one("ConfigMap").path("data");
        assertTrue(config.path("QUARKUS_DATASOURCE_REACTIVE_URL")
                .asText()
                .startsWith("postgresql://" + cluster + "-rw:5432/"));
        assertTrue(config.path("QUARKUS_DATASOURCE_JDBC_URL")
                .asText()
                .startsWith("jdbc:postgresql://" + cluster + "-rw:5432/"));
        assertEquals(
                rendering
                        .one("Cluster")
                        .path("spec")
                        .path("bootstrap")
                        .path("initdb")
                        .path("database")
                        .asText(),
                config.path("QUARKUS_DATASOURCE_REACTIVE_URL").asText().replaceAll(".*/", ""));
    }

    @Test
    void baseNeedsNoCustomResourceDefinitions() {
        Rendering rendering = render("k8s/base");
        Set<String> apiGroups = new TreeSet<>();
        rendering
                .documents()
                .forEach(d -> apiGroups.add(d.path("apiVersion").asText().replaceAll("/?v[0-9a-z]+$", "")));
        assertEquals(Set.of("", "apps", "autoscaling", "policy", "networking.k8s.io"), apiGroups);
    }

    private static final Map<String, Rendering> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    private static Rendering render(String kustomization) {
        // CI machines of this project carry kubectl (with kustomize v5); elsewhere these checks are skipped.
        boolean required = "true".equals(System.getenv("CI"));
        assumeTrue(required || Kustomize.available(), "kubectl not on PATH: rendering checks skipped");
        if (!Kustomize.available()) {
            throw new AssertionError("kubectl is needed in CI to render k8s/ (kustomize v5)");
        }
        return RENDERED.computeIfAbsent(kustomization, k -> Kustomize.render(Repository.path(k)));
    }

    private static Set<String> names(List<JsonNode> objects) {
        Set<String> names = new TreeSet<>();
        objects.forEach(o -> names.add(o.path("metadata").path("name").asText()));
        return names;
    }

    private static void assertSelects(JsonNode selector, JsonNode labels, String what) {
        assertFalse(selector.isMissingNode() || selector.isEmpty(), what + " has no selector");
        Iterator<Map.Entry<String, JsonNode>> entries = selector.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            assertEquals(
                    entry.getValue().asText(),
                    labels.path(entry.getKey()).asText(),
                    what + " selects " + entry.getKey() + " that the pods do not carry");
        }
    }
}
