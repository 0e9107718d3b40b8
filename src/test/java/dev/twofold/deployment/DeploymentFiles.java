package dev.twofold.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the deployment files under deploy/ and k8s/ set: environment variables (with the file that
 * sets them), probe paths and ports. Read from the files as written, so these checks need no
 * renderer.
 */
final class DeploymentFiles {

    static final String ENV_TEMPLATE = "deploy/twofold.env.example";
    static final String COMPOSE = "deploy/compose.yaml";
    static final String CONTAINERFILE = "deploy/container/Containerfile";
    static final String SYSTEMD_UNIT = "deploy/systemd/twofold.service";
    static final String KUBERNETES = "k8s";

    /** An environment variable a file sets; {@code active} is false for a commented-out template line. */
    record Variable(String name, String value, String file, boolean active) {}

    /** An HTTP path some health check or scraper requests, with the port it uses ({@code null} if implicit). */
    record Probe(String path, String port, String file) {}

    private static final Pattern ENV_LINE = Pattern.compile("^(#\\s*)?([A-Z][A-Z0-9_]*)=(.*)$");
    private static final Pattern HTTP_REQUEST = Pattern.compile("GET (/\\S*) HTTP/1\\.[01]");

    private DeploymentFiles() {}

    /** Every {@code NAME=value} line of an env file, commented-out ones as inactive. */
    static List<Variable> envFile(Path file) {
        List<Variable> variables = new ArrayList<>();
        for (String line : Repository.read(file).split("\n")) {
            Matcher m = ENV_LINE.matcher(line.strip());
            if (m.matches()) {
                variables.add(new Variable(m.group(2), m.group(3), Repository.relative(file), m.group(1) == null));
            }
        }
        return variables;
    }

    static List<Variable> envTemplate() {
        return envFile(Repository.path(ENV_TEMPLATE));
    }

    /** Variables that compose.yaml, the Containerfile, the systemd unit and the Kubernetes manifests set. */
    static List<Variable> manifestVariables() {
        List<Variable> variables = new ArrayList<>();
        variables.addAll(composeVariables());
        variables.addAll(containerfileVariables());
        variables.addAll(systemdVariables());
        variables.addAll(kubernetesVariables());
        return variables;
    }

    static List<Variable> composeVariables() {
        List<Variable> variables = new ArrayList<>();
        Repository.yaml(COMPOSE).path("services").forEach(service -> {
            JsonNode environment = service.path("environment");
            if (environment.isObject()) {
                environment
                        .fields()
                        .forEachRemaining(e -> variables.add(
                                new Variable(e.getKey(), e.getValue().asText(), COMPOSE, true)));
            } else {
                environment.forEach(entry -> {
                    String[] pair = entry.asText().split("=", 2);
                    variables.add(new Variable(pair[0], pair.length > 1 ? pair[1] : "", COMPOSE, true));
                });
            }
        });
        return variables;
    }

    static List<Variable> containerfileVariables() {
        List<Variable> variables = new ArrayList<>();
        for (Containerfile.Instruction env : Containerfile.parse(CONTAINERFILE).all("ENV")) {
            Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)")
                    .matcher(env.arguments());
            while (m.find()) {
                variables.add(new Variable(m.group(1), m.group(2), CONTAINERFILE, true));
            }
        }
        return variables;
    }

    static List<Variable> systemdVariables() {
        List<Variable> variables = new ArrayList<>();
        for (String assignment : SystemdUnit.parse(SYSTEMD_UNIT).values("Service", "Environment")) {
            for (String pair : assignment.replace("\"", "").split("\\s+")) {
                String[] parts = pair.split("=", 2);
                variables.add(new Variable(parts[0], parts.length > 1 ? parts[1] : "", SYSTEMD_UNIT, true));
            }
        }
        return variables;
    }

    /** Container env entries, ConfigMap data and configMapGenerator literals and env files under k8s/. */
    static List<Variable> kubernetesVariables() {
        List<Variable> variables = new ArrayList<>();
        for (Path file : Repository.yamlFilesUnder(KUBERNETES)) {
            String name = Repository.relative(file);
            for (JsonNode document : Repository.yamlDocuments(file)) {
                walk(document, node -> {
                    node.path("env").forEach(e -> {
                        if (e.has("name")) {
                            variables.add(new Variable(
                                    e.path("name").asText(), e.path("value").asText(), name, true));
                        }
                    });
                    node.path("configMapGenerator").forEach(generator -> {
                        generator.path("literals").forEach(literal -> {
                            String[] pair = literal.asText().split("=", 2);
                            variables.add(new Variable(pair[0], pair.length > 1 ? pair[1] : "", name, true));
                        });
                        generator
                                .path("envs")
                                .forEach(env -> envFile(file.resolveSibling(env.asText())).stream()
                                        .filter(Variable::active)
                                        .forEach(variables::add));
                    });
                });
                if ("ConfigMap".equals(document.path("kind").asText())) {
                    document.path("data")
                            .fields()
                            .forEachRemaining(e -> variables.add(
                                    new Variable(e.getKey(), e.getValue().asText(), name, true)));
                }
            }
        }
        return variables;
    }

    /** Every HTTP path that probes, health checks and scrapers request. */
    static List<Probe> probes() {
        List<Probe> probes = new ArrayList<>();
        for (Path file : Repository.yamlFilesUnder(KUBERNETES)) {
            for (JsonNode document : Repository.yamlDocuments(file)) {
                walk(document, node -> {
                    JsonNode get = node.path("httpGet");
                    if (get.isObject()) {
                        probes.add(new Probe(
                                get.path("path").asText(), get.path("port").asText(), Repository.relative(file)));
                    }
                });
                if ("ServiceMonitor".equals(document.path("kind").asText())) {
                    document.path("spec")
                            .path("endpoints")
                            .forEach(e -> probes.add(new Probe(
                                    e.path("path").asText(), e.path("port").asText(), Repository.relative(file))));
                }
            }
        }
        String composeCheck = String.join(
                " ",
                texts(Repository.yaml(COMPOSE)
                        .path("services")
                        .path("twofold")
                        .path("healthcheck")
                        .path("test")));
        probes.addAll(requestedPaths(composeCheck, COMPOSE));
        for (Containerfile.Instruction check :
                Containerfile.parse(CONTAINERFILE).all("HEALTHCHECK")) {
            probes.addAll(requestedPaths(check.arguments(), CONTAINERFILE));
        }
        return probes;
    }

    private static List<Probe> requestedPaths(String command, String file) {
        List<Probe> probes = new ArrayList<>();
        Matcher request = HTTP_REQUEST.matcher(command);
        Matcher port = Pattern.compile("/dev/tcp/[^/]+/(\\d+)").matcher(command);
        String portNumber = port.find() ? port.group(1) : null;
        while (request.find()) {
            probes.add(new Probe(request.group(1), portNumber, file));
        }
        return probes;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    /** Calls {@code visit} on every object node in the tree. */
    static void walk(JsonNode node, Consumer<JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(node);
            node.forEach(child -> walk(child, visit));
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, visit));
        }
    }

    static boolean exists(String relative) {
        return Files.exists(Repository.path(relative));
    }
}
