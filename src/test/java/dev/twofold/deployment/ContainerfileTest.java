package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.deployment.Containerfile.Instruction;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/container/Containerfile: a JDK build stage, a JRE run stage with Quarkus' layered layout, non-root. */
class ContainerfileTest {

    private static final Set<String> KNOWN = Set.of(
            "FROM",
            "WORKDIR",
            "COPY",
            "RUN",
            "LABEL",
            "USER",
            "EXPOSE",
            "ENV",
            "HEALTHCHECK",
            "ENTRYPOINT",
            "CMD",
            "ARG");
    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|secret|token|encryption_keys|private).*");

    private final Containerfile file = Containerfile.parse(DeploymentFiles.CONTAINERFILE);

    @Test
    void usesOnlyKnownInstructions() {
        file.instructions().forEach(i -> assertTrue(KNOWN.contains(i.keyword()), "line " + i.line() + ": " + i));
    }

    @Test
    void buildsOnATemurin17JdkAndRunsOnATemurin25Jre() {
        List<Instruction> stages = file.all("FROM");
        assertEquals(2, stages.size());
        assertTrue(
                stages.get(0).arguments().matches("eclipse-temurin:17-jdk\\S*\\s+(?i:AS)\\s+build"),
                stages.get(0).arguments());
        assertTrue(
                stages.get(1).arguments().matches("eclipse-temurin:25-jre\\S*"),
                stages.get(1).arguments());
        assertTrue(
                file.inStage(0, "RUN").stream().anyMatch(r -> r.arguments().contains("./mvnw")),
                "the build stage uses the Maven wrapper");
    }

    @Test
    void buildStageCopiesOnlyWhatTheIgnoreFileLetsThrough() {
        List<String> allowed = Repository.read(DeploymentFiles.CONTAINERFILE + ".dockerignore")
                .lines()
                .filter(l -> l.startsWith("!"))
                .map(l -> l.substring(1))
                .toList();
        for (Instruction copy : file.inStage(0, "COPY")) {
            String[] parts = copy.arguments().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                String source = parts[i];
                assertTrue(DeploymentFiles.exists(source), "COPY of missing " + source);
                assertTrue(allowed.contains(source), source + " is excluded from the build context");
            }
        }
    }

    @Test
    void runStageCopiesTheQuarkusAppLayersInOrder() {
        List<String> copied = file.inStage(file.lastStage(), "COPY").stream()
                .map(c -> c.arguments().split("\\s+"))
                .peek(parts -> assertEquals("--from=build", parts[0]))
                .map(parts -> parts[1].replaceFirst(".*/quarkus-app/", ""))
                .toList();
        assertEquals(List.of("lib/", "app/", "quarkus/", "quarkus-run.jar", "/src/deploy/jvm.options"), copied);
    }

    @Test
    void runsAsAnUnprivilegedNumericUser() {
        List<Instruction> users = file.inStage(file.lastStage(), "USER");
        assertFalse(users.isEmpty(), "no USER in the run stage");
        Instruction user = users.get(users.size() - 1);
        String uid = user.arguments().split(":")[0];
        assertTrue(uid.matches("\\d+"), "numeric uid lets Kubernetes check runAsNonRoot: " + uid);
        assertNotEquals("0", uid);
        Instruction entrypoint = file.inStage(file.lastStage(), "ENTRYPOINT").get(0);
        assertTrue(user.line() < entrypoint.line());
    }

    @Test
    void startsTheLayeredJarWithTheSharedJvmOptions() throws Exception {
        JsonNode entrypoint = new ObjectMapper()
                .readTree(file.inStage(file.lastStage(), "ENTRYPOINT").get(0).arguments());
        List<String> command = DeploymentFiles.texts(entrypoint);
        assertEquals("java", command.get(0));
        assertEquals("@/deployments/jvm.options", command.get(1));
        assertTrue(file.inStage(file.lastStage(), "COPY").stream()
                .anyMatch(c -> c.arguments().endsWith("/deploy/jvm.options /deployments/jvm.options")));
        assertEquals("-jar", command.get(command.size() - 2));
        String jar = command.get(command.size() - 1);
        assertTrue(
                file.inStage(file.lastStage(), "COPY").stream()
                        .anyMatch(c -> c.arguments().endsWith(" " + jar)),
                "the entrypoint starts the copied " + jar);
    }

    @Test
    void carriesNoSecrets() {
        for (Instruction instruction : file.instructions()) {
            if (Set.of("ENV", "ARG", "LABEL").contains(instruction.keyword())) {
                assertFalse(SECRET_NAME.matcher(instruction.arguments()).matches(), "line " + instruction.line());
            }
            if (instruction.keyword().equals("COPY")) {
                assertFalse(
                        instruction.arguments().matches("(?s).*(\\.env|secrets/|\\.pem|\\.key)\\b.*"),
                        "line " + instruction.line() + " copies key material into the image");
            }
        }
    }

    @Test
    void declaresAHealthCheck() {
        assertEquals(1, file.all("HEALTHCHECK").size());
    }
}
