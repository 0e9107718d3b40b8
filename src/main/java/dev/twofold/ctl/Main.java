package dev.twofold.ctl;

import java.net.http.HttpClient;
import java.time.Duration;
import picocli.CommandLine;

/** Entry point of target/twofoldctl. */
final class Main {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private Main() {}

    public static void main(String[] args) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        System.exit(commandLine(http::send).execute(args));
    }

    /** The CLI over a transport; picocli writes to stdout and stderr unless the caller sets other writers. */
    static CommandLine commandLine(Transport transport) {
        CommandLine cli = new CommandLine(new Twofoldctl(transport)).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((failure, line, parsed) -> {
            line.getErr().println("error: " + failure.getMessage());
            line.getErr().flush();
            return failure instanceof CommandFailure known ? known.exitCode() : ExitCodes.FAILED;
        });
        return cli;
    }
}
