package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No key material or password in deploy/ and k8s/: no PEM blocks, no base64-encoded 32-byte keys, no
 * literal values for password-like settings, and Secret manifests only as placeholder documentation.
 * Placeholders look like {@code <database-password>}; values made at install time ({@code $(openssl …)},
 * {@code ${VAR:?…}}) are fine.
 */
class SecretScanTest {

    private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z0-9 ]+-----");
    /** 32 bytes in padded base64 is 43 characters and one '=', the last character carrying 2 bits. */
    private static final Pattern BASE64_KEY =
            Pattern.compile("(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=(?![A-Za-z0-9+/=])");
    /** A setting whose name says it holds a secret, and the value assigned to it. */
    private static final Pattern SECRET_ASSIGNMENT =
            Pattern.compile("(?i)([A-Za-z0-9_.-]*(password|passwd|secret|token|keys|api[_-]?key))\\s*[:=]\\s*(.*)$");
    /** A literal that could be a real secret: one word of 8 or more characters. */
    private static final Pattern LITERAL = Pattern.compile("[\"']?[A-Za-z0-9+/=_\\-!@#%^&*.~]{8,}[\"']?");

    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]+>|\\$\\{[^}]*}|\\$\\([^)]*\\)");

    static Stream<Path> files() {
        return Stream.concat(Repository.filesUnder("deploy").stream(), Repository.filesUnder("k8s").stream());
    }

    @ParameterizedTest
    @MethodSource("files")
    void holdsNoKeyMaterialOrPasswords(Path file) {
        List<String> findings = new ArrayList<>();
        String[] lines = Repository.read(file).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (PEM.matcher(line).find()) {
                findings.add((i + 1) + ": PEM block");
            }
            if (BASE64_KEY.matcher(line).find()) {
                findings.add((i + 1) + ": a base64-encoded 32-byte key");
            }
            Matcher assignment = SECRET_ASSIGNMENT.matcher(line);
            if (assignment.find() && looksLikeASecret(assignment.group(3))) {
                findings.add((i + 1) + ": a literal value for " + assignment.group(1));
            }
        }
        assertTrue(findings.isEmpty(), Repository.relative(file) + " " + findings);
    }

    @Test
    void secretManifestsAreOnlyPlaceholderExamples() {
        for (Path file : Repository.yamlFilesUnder("k8s")) {
            for (JsonNode document : Repository.yamlDocuments(file)) {
                if (!"Secret".equals(document.path("kind").asText())) {
                    continue;
                }
                assertTrue(Repository.relative(file).startsWith("k8s/examples/"), file + " defines a Secret");
                assertFalse(document.has("data"), file + ": base64 data instead of placeholders");
                document.path("stringData")
                        .fields()
                        .forEachRemaining(e -> assertTrue(
                                e.getKey().equals("username")
                                        || PLACEHOLDER
                                                .matcher(e.getValue().asText())
                                                .find(),
                                file + ": " + e.getKey() + " is not a placeholder"));
            }
        }
    }

    @Test
    void recognisesSecretsItMustRefuse() {
        assertTrue(looksLikeASecret("hunter2hunter2"));
        assertTrue(looksLikeASecret("\"Bck1JyX+Gdz0IWr49y\""));
        assertTrue(BASE64_KEY
                .matcher("k1:Bck1JyX+Gdz0IWr49yGpuBanIQ9dDF6ADIGZjIuFeU8=")
                .find());
        assertFalse(looksLikeASecret("<database-password>"));
        assertFalse(looksLikeASecret("<key-id>:<base64-32-byte-key>"));
        assertFalse(looksLikeASecret("${POSTGRES_PASSWORD:?set it}"));
        assertFalse(looksLikeASecret("k1:$(openssl rand -base64 32)"));
        assertFalse(looksLikeASecret(""));
    }

    private static boolean looksLikeASecret(String value) {
        String rest = PLACEHOLDER.matcher(value.strip()).replaceAll("").strip();
        if (value.contains("$(")) {
            return false; // generated when the command runs
        }
        return LITERAL.matcher(rest).matches();
    }
}
