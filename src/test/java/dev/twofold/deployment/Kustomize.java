package dev.twofold.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize} (kustomize v5 is built into kubectl). Debian
 * 12's kubernetes-client (1.20, kustomize v2) cannot render components, so the kubectl on the machine
 * image is the renderer; {@link #available()} tells whether there is one.
 */
final class Kustomize {

    /** What a render produced: the documents, and anything kustomize printed on stderr (warnings). */
    record Rendering(List<JsonNode> documents, String warnings) {

        List<JsonNode> ofKind(String kind) {
            return documents.stream()
                    .filter(d -> kind.equals(d.path("kind").asText()))
                    .toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = ofKind(kind);
            if (found.size() != 1) {
                throw new AssertionError("Expected one " + kind + ", rendered " + found.size());
            }
            return found.get(0);
        }
    }

    private Kustomize() {}

    static boolean available() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    static Rendering render(Path kustomizationDir) {
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder("kubectl", "kustomize", kustomizationDir.toString())
                        .redirectError(errors.toFile())
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + kustomizationDir + " did not finish");
                }
                String stderr = Files.readString(errors, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new AssertionError(
                            "kubectl kustomize " + Repository.relative(kustomizationDir) + " failed: " + stderr);
                }
                return new Rendering(Repository.yamlDocuments(output), stderr.strip());
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
