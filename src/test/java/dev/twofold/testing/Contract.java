package dev.twofold.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code openapi/twofold.yaml} as data, so that tests can be generated from it. */
public final class Contract {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "patch", "delete");
    private static final JsonNode DOCUMENT = load();

    /** One operation: where it lives, what it answers on success and what it reads. */
    public record Operation(
            String id,
            String method,
            String path,
            int successStatus,
            boolean answersJson,
            Optional<String> requestType,
            Optional<JsonNode> requestExample) {

        @Override
        public String toString() {
            return id;
        }
    }

    private Contract() {}

    public static JsonNode document() {
        return DOCUMENT;
    }

    public static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        DOCUMENT.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
                    if (!METHODS.contains(entry.getKey())) {
                        return;
                    }
                    JsonNode operation = entry.getValue();
                    String success = first(operation.path("responses").fieldNames(), "2");
                    JsonNode answer = operation.path("responses").path(success);
                    Optional<String> requestType = Optional.ofNullable(operation
                                    .path("requestBody")
                                    .path("content")
                                    .fieldNames())
                            .filter(Iterator::hasNext)
                            .map(Iterator::next);
                    Optional<JsonNode> example = requestType
                            .map(type -> operation
                                    .path("requestBody")
                                    .path("content")
                                    .path(type))
                            .map(content -> content.has("example")
                                    ? content.get("example")
                                    : content.path("examples").elements().next().get("value"));
                    operations.add(new Operation(
                            operation.path("operationId").asText(),
                            entry.getKey().toUpperCase(Locale.ROOT),
                            path.getKey(),
                            Integer.parseInt(success),
                            answer.path("content").has("application/json"),
                            requestType,
                            example));
                }));
        return operations;
    }

    /**
     * The methods a concrete path is served with per the contract: those of every path template
     * that matches it (a literal segment such as {@code verify} also matches a {@code {deviceId}}),
     * plus HEAD with GET, and OPTIONS.
     */
    public static Set<String> methodsAt(String concretePath) {
        Set<String> methods = new TreeSet<>();
        for (Operation operation : operations()) {
            if (concretePath.matches(operation.path().replaceAll("\\{[^}]+}", "[^/]+"))) {
                methods.add(operation.method());
            }
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return methods;
    }

    /** The first line of an NDJSON example (a text node), as JSON. */
    public static JsonNode firstNdjsonLine(JsonNode example) {
        try {
            return new ObjectMapper()
                    .readTree(example.asText().lines().findFirst().orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code value} written as compact JSON. */
    public static String json(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The request example as a map of field values. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(JsonNode example) {
        return new ObjectMapper().convertValue(example, Map.class);
    }

    private static String first(Iterator<String> names, String prefix) {
        while (names.hasNext()) {
            String name = names.next();
            if (name.startsWith(prefix)) {
                return name;
            }
        }
        throw new IllegalStateException("no " + prefix + "xx response");
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper(new YAMLFactory())
                    .readTree(Path.of("openapi/twofold.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
