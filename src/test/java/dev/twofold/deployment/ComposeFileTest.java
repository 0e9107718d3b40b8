package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/compose.yaml: Twofold and PostgreSQL 15 with health checks, Dovecot behind the "mail" profile, secrets kept out of git. */
class ComposeFileTest {

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}");

    private final JsonNode compose = Repository.yaml(DeploymentFiles.COMPOSE);
    private final JsonNode services = compose.path("services");

    @Test
    void runsTwofoldOnPostgreSql15() {
        assertEquals(Set.of("postgres", "twofold", "dovecot"), fieldNames(services));
        assertTrue(services.path("postgres").path("image").asText().matches(".*postgres:15(\\.\\d+)*"));
        assertTrue(services.path("postgres").has("healthcheck"));
        assertTrue(services.path("twofold").has("healthcheck"));
        assertEquals(
                "service_healthy",
                services.path("twofold")
                        .path("depends_on")
                        .path("postgres")
                        .path("condition")
                        .asText());
    }

    @Test
    void buildsTheImageFromTheContainerfile() {
        JsonNode build = services.path("twofold").path("build");
        Path context = Repository.path("deploy")
                .resolve(build.path("context").asText())
                .normalize();
        assertEquals(Repository.ROOT.normalize(), context);
        assertEquals(DeploymentFiles.CONTAINERFILE, build.path("dockerfile").asText());
    }

    @Test
    void takesItsSettingsFromACopyOfTheTemplate() {
        List<String> envFiles = DeploymentFiles.texts(services.path("twofold").path("env_file"));
        assertEquals(List.of("twofold.env"), envFiles);
        assertEquals(DeploymentFiles.ENV_TEMPLATE, "deploy/" + envFiles.get(0) + ".example");
    }

    @Test
    void runsTwofoldReadOnlyWithoutCapabilities() {
        JsonNode twofold = services.path("twofold");
        assertTrue(twofold.path("read_only").asBoolean());
        assertEquals(List.of("ALL"), DeploymentFiles.texts(twofold.path("cap_drop")));
        assertTrue(DeploymentFiles.texts(twofold.path("security_opt")).contains("no-new-privileges:true"));
        assertTrue(DeploymentFiles.texts(twofold.path("tmpfs")).stream().anyMatch(t -> t.startsWith("/tmp:")));
    }

    @Test
    void offersDovecotOnlyUnderTheMailProfile() {
        JsonNode dovecot = services.path("dovecot");
        assertEquals(List.of("mail"), DeploymentFiles.texts(dovecot.path("profiles")));
        assertTrue(
                DeploymentFiles.texts(dovecot.path("volumes")).stream().anyMatch(v -> v.startsWith("./dovecot:")),
                "mounts deploy/dovecot/");
        services.fields().forEachRemaining(s -> {
            if (!s.getKey().equals("dovecot")) {
                assertTrue(s.getValue().path("profiles").isMissingNode(), s.getKey() + " must always run");
            }
        });
    }

    @Test
    void requiresItsOnlyVariableInsteadOfDefaultingIt() {
        Set<String> variables = new TreeSet<>();
        Matcher m = INTERPOLATION.matcher(Repository.read(DeploymentFiles.COMPOSE));
        while (m.find()) {
            variables.add(m.group(1));
            assertTrue(m.group(2).startsWith(":?"), "${" + m.group(1) + "} must fail when unset, not default");
        }
        assertEquals(Set.of("POSTGRES_PASSWORD"), variables);
    }

    @Test
    void filledInFilesAreIgnoredByGit() {
        List<String> local = new ArrayList<>(List.of("deploy/.env", "deploy/twofold.env"));
        compose.path("secrets")
                .forEach(s -> local.add(Repository.relative(Repository.path("deploy")
                        .resolve(s.path("file").asText())
                        .normalize())));
        for (String file : local) {
            assertTrue(GitIgnoreRules.ignores(file), file + " is not git-ignored");
        }
        // The same rules must still let the files that ship be committed.
        for (String shipped : List.of(DeploymentFiles.COMPOSE, DeploymentFiles.ENV_TEMPLATE, "deploy/.gitignore")) {
            assertFalse(GitIgnoreRules.ignores(shipped), shipped + " is git-ignored");
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
