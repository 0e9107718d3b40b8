package dev.twofold.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged launcher, target/twofoldctl, starts the CLI from target/quarkus-app's classes and libraries. */
class TwofoldctlIT {

    private static final Path LAUNCHER = Path.of("target", "twofoldctl");

    private record Result(int exitCode, String out) {}

    private static Result launch(String... args) throws Exception {
        Path out = Files.createTempFile("twofoldctl", ".out");
        Process process = new ProcessBuilder(concat(LAUNCHER.toAbsolutePath().toString(), args))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        Files.delete(out);
        return result;
    }

    private static List<String> concat(String first, String... rest) {
        return Stream.concat(Stream.of(first), Stream.of(rest)).toList();
    }

    @Test
    void launcherIsExecutableAndAnswersHelp() throws Exception {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is missing or not executable");
        Result help = launch("--help");
        assertEquals(0, help.exitCode(), help.out());
        assertTrue(help.out().startsWith("Usage: twofoldctl"), help.out());
        assertEquals(0, launch("--version").exitCode());
    }

    @Test
    void launcherFindsTheHttpAndJsonLibraries() throws Exception {
        Result unreachable = launch("status", "a@example.org", "--url", "http://127.0.0.1:1", "--token", "t");
        assertEquals(3, unreachable.exitCode(), unreachable.out());
        assertTrue(unreachable.out().startsWith("error: cannot reach"), unreachable.out());
    }
}
