package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.twofold.deployment.DeploymentFiles.Variable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/systemd/twofold.service: hardened, reads the env template's file, hands over the signing key. */
class SystemdUnitTest {

    private final SystemdUnit unit = SystemdUnit.parse(DeploymentFiles.SYSTEMD_UNIT);

    @Test
    void readsTheEnvironmentFileTheTemplateIsInstalledAs() {
        assertEquals("/etc/twofold/twofold.env", unit.value("Service", "EnvironmentFile"));
    }

    @Test
    void startsTheLayeredJarWithTheSharedJvmOptions() {
        String start = unit.value("Service", "ExecStart");
        assertNotNull(start);
        assertTrue(start.startsWith("/"), "absolute path to java");
        assertTrue(start.contains(" @/opt/twofold/jvm.options "), start);
        assertTrue(start.matches(".*-jar \\S*/quarkus-run\\.jar\\s*$"), start);
    }

    @Test
    void isHardened() {
        boolean ownUser = "yes".equals(unit.value("Service", "DynamicUser"))
                || (unit.value("Service", "User") != null && !"root".equals(unit.value("Service", "User")));
        assertTrue(ownUser, "runs as a dedicated or dynamic user");
        assertEquals("yes", unit.value("Service", "NoNewPrivileges"));
        assertEquals("strict", unit.value("Service", "ProtectSystem"));
        assertEquals("yes", unit.value("Service", "PrivateTmp"));
        assertEquals("", unit.value("Service", "CapabilityBoundingSet"));
    }

    @Test
    void handsTheSigningKeyOverWhereTheTemplatePointsTwofold() {
        String credential = unit.value("Service", "LoadCredential");
        assertNotNull(credential);
        String name = credential.substring(0, credential.indexOf(':'));
        String unitName = Path.of(DeploymentFiles.SYSTEMD_UNIT).getFileName().toString();
        String location = DeploymentFiles.envTemplate().stream()
                .filter(v -> v.name().equals("SMALLRYE_JWT_SIGN_KEY_LOCATION"))
                .map(Variable::value)
                .findFirst()
                .orElseThrow();
        assertEquals("/run/credentials/" + unitName + "/" + name, location);
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze not installed");
        Path errors = Files.createTempFile("systemd-analyze", ".err");
        try {
            Process verify = new ProcessBuilder(
                            analyze.toString(),
                            "verify",
                            Repository.path(DeploymentFiles.SYSTEMD_UNIT).toString())
                    .redirectErrorStream(true)
                    .redirectOutput(errors.toFile())
                    .start();
            assertTrue(verify.waitFor(1, TimeUnit.MINUTES));
            String output = Files.readString(errors, StandardCharsets.UTF_8);
            // Only complaints about this unit count; a machine without systemd as init adds its own noise.
            assertTrue(output.lines().noneMatch(l -> l.contains("twofold.service")), output);
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
