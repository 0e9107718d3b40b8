package dev.twofold.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's files as the deployment checks read them (tests run with the project root as working directory). */
final class Repository {

    static final Path ROOT = Path.of("").toAbsolutePath();

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Repository() {}

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath()).toString();
    }

    /** Regular files below {@code relativeDir}, sorted; none if it does not exist. */
    static List<Path> filesUnder(String relativeDir) {
        Path dir = path(relativeDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML file below {@code relativeDir}. */
    static List<Path> yamlFilesUnder(String relativeDir) {
        return filesUnder(relativeDir).stream()
                .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                .toList();
    }

    /** All documents of a (multi-document) YAML text; empty documents are dropped. */
    static List<JsonNode> yamlDocuments(String text) {
        List<JsonNode> documents = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            while (values.hasNext()) {
                JsonNode document = values.next();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    static List<JsonNode> yamlDocuments(Path file) {
        return yamlDocuments(read(file));
    }

    static JsonNode yaml(String relative) {
        List<JsonNode> documents = yamlDocuments(path(relative));
        if (documents.size() != 1) {
            throw new IllegalStateException(relative + " should hold one YAML document, not " + documents.size());
        }
        return documents.get(0);
    }
}
