package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/jvm.options is what the unit, the image and the benchmark start the service with. */
class JvmOptionsTest {

    private static final String OPTIONS = "deploy/jvm.options";

    @Test
    void carriesWhatTheServiceNeedsToRun() {
        List<String> options = Repository.read(OPTIONS)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        assertTrue(options.contains("--enable-native-access=ALL-UNNAMED"), "Argon2 calls native code through JNA");
        assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError"), "a broken JVM exits and is restarted");
        assertTrue(options.contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager"));
        assertTrue(options.stream().anyMatch(option -> option.startsWith("-Xmx")), "the heap is bounded");
        assertTrue(
                options.stream().anyMatch(option -> option.startsWith("-XX:TrimNativeHeapInterval=")),
                "memory malloc no longer uses goes back to the system");
    }

    @Test
    void theRunningJdkAcceptsTheFile() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "@" + Repository.path(OPTIONS), "-version")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }
}
