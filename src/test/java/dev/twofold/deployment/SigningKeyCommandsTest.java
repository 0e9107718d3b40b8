package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.AssertionIssuers;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The assertion-key commands of deploy/README.md, deploy/compose.yaml and
 * k8s/examples/secrets.example.yaml, run as written with openssl: the key each one makes must sign an
 * assertion the way the service does at boot (algorithm taken from the key), and that assertion must
 * verify with the public half the guide's command extracts.
 */
class SigningKeyCommandsTest {

    private static final String GUIDE = "deploy/README.md";
    private static final Pattern GENERATE_IN_GUIDE = Pattern.compile("`(openssl genpkey [^`]+)`");
    private static final Pattern PUBLIC_HALF_IN_GUIDE =
            Pattern.compile("`(openssl pkey -in assertion-signing-key\\.pem -pubout[^`]*)`");
    private static final Pattern OUTPUT = Pattern.compile("-out (\\S+)");
    private static final String GUIDE_KEY = "assertion-signing-key.pem";
    private static final String GUIDE_PUBLIC_KEY = "assertion-signing-key.pub.pem";

    @TempDir
    Path workDir;

    /** A documented command that makes a key, and where it came from. */
    record KeyCommand(String file, String command) {

        @Override
        public String toString() {
            return file + ": " + command;
        }
    }

    static Stream<KeyCommand> keyCommands() {
        List<KeyCommand> commands = new ArrayList<>();
        Matcher inGuide = GENERATE_IN_GUIDE.matcher(Repository.read(GUIDE));
        while (inGuide.find()) {
            commands.add(new KeyCommand(GUIDE, inGuide.group(1)));
        }
        for (String file : List.of(DeploymentFiles.COMPOSE, "k8s/examples/secrets.example.yaml")) {
            commentedCommands(Repository.read(file)).stream()
                    .filter(command -> command.contains("openssl genpkey"))
                    .forEach(command -> commands.add(new KeyCommand(file, command)));
        }
        return commands.stream();
    }

    @Test
    void everyFileDocumentsAKeyCommandAndTheGuideBothKinds() {
        List<KeyCommand> commands = keyCommands().toList();
        for (String file : List.of(GUIDE, DeploymentFiles.COMPOSE, "k8s/examples/secrets.example.yaml")) {
            assertTrue(
                    commands.stream().anyMatch(command -> command.file().equals(file)),
                    file + " shows no openssl genpkey command");
        }
        List<String> inGuide = commands.stream()
                .filter(command -> command.file().equals(GUIDE))
                .map(KeyCommand::command)
                .toList();
        assertTrue(
                inGuide.stream().anyMatch(command -> command.contains("-algorithm EC")),
                GUIDE + " shows an EC key: " + inGuide);
        assertTrue(
                inGuide.stream().anyMatch(command -> command.contains("-algorithm RSA")),
                GUIDE + " shows an RSA key: " + inGuide);
    }

    @ParameterizedTest
    @MethodSource("keyCommands")
    void theDocumentedKeySignsAssertionsThatItsPublicHalfVerifies(KeyCommand documented) throws Exception {
        run(documented.command());
        Matcher output = OUTPUT.matcher(documented.command());
        assertTrue(output.find(), "no -out in " + documented);
        Path key = workDir.resolve(output.group(1));

        String assertion = AssertionIssuers.issue(key.toString(), Optional.empty(), "alice@example.com");

        String expected = documented.command().contains("-algorithm RSA") ? "RS256" : "ES256";
        assertEquals(
                expected, JsonWebSignature.fromCompactSerialization(assertion).getAlgorithmHeaderValue());
        // The public half, made with the guide's own command from a key of the guide's file name.
        if (!key.equals(workDir.resolve(GUIDE_KEY))) {
            Files.copy(key, workDir.resolve(GUIDE_KEY), StandardCopyOption.REPLACE_EXISTING);
        }
        Matcher publicHalf = PUBLIC_HALF_IN_GUIDE.matcher(Repository.read(GUIDE));
        assertTrue(publicHalf.find(), GUIDE + " shows how to extract the public key");
        run(publicHalf.group(1));
        String consumer = new JwtConsumerBuilder()
                .setVerificationKey(KeyUtils.decodePublicKey(
                        Files.readString(workDir.resolve(GUIDE_PUBLIC_KEY)),
                        SignatureAlgorithm.fromAlgorithm(expected)))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, expected)
                .setExpectedIssuer("twofold")
                .setExpectedAudience("webmail")
                .setEvaluationTime(NumericDate.fromSeconds(AssertionIssuers.NOW.getEpochSecond()))
                .build()
                .processToClaims(assertion)
                .getSubject();
        assertEquals("alice@example.com", consumer);
    }

    /** Shell lines of a file's comments, with backslash continuations joined (a trailing "# note" stays: sh ignores it). */
    private static List<String> commentedCommands(String text) {
        List<String> commands = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                continue;
            }
            String command = line.substring(1).strip();
            if (command.endsWith("\\")) {
                pending.append(command, 0, command.length() - 1);
                continue;
            }
            commands.add(pending.append(command).toString());
            pending.setLength(0);
        }
        return commands;
    }

    private void run(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(finished, "still running after 60 s: " + command);
        assertEquals(0, process.exitValue(), "`" + command + "` failed: " + output);
        assertFalse(output.contains("error"), output);
    }
}
