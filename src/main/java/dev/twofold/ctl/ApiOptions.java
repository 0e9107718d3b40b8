package dev.twofold.ctl;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the server is, the admin token and the output format: mixed into every command that calls the API. */
final class ApiOptions {

    @Option(
            names = "--url",
            paramLabel = "URL",
            defaultValue = "${env:TWOFOLD_URL}",
            description = "Twofold's base URL, e.g. https://twofold.example.net (default: $TWOFOLD_URL).")
    String url;

    @Option(
            names = "--token",
            paramLabel = "JWT",
            description = "Admin bearer token (default: $TWOFOLD_TOKEN). Prefer the variable or --token-file:"
                    + " other local users can read a process's arguments.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the admin bearer token from FILE.")
    Path tokenFile;

    @Option(names = "--json", description = "Print the server's JSON (for scripts) instead of tables.")
    boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    TwofoldClient client() {
        if (url == null || url.isBlank()) {
            throw usageError("no server: set TWOFOLD_URL or pass --url");
        }
        URI base;
        try {
            base = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw usageError("--url is not a URL: " + url);
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw usageError("--url must be an http(s) URL with a host: " + url);
        }
        String withoutSlash = base.toString().replaceAll("/+$", "");
        Transport transport = ((Twofoldctl) command.root().userObject()).transport();
        return new TwofoldClient(withoutSlash, token(), transport);
    }

    Output output() {
        return new Output(command.commandLine().getOut(), json);
    }

    /** Where progress and per-line errors go, never stdout (which scripts parse). */
    PrintWriter stderr() {
        return command.commandLine().getErr();
    }

    ParameterException usageError(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    /** --token, else --token-file, else $TWOFOLD_TOKEN; its value never appears in a message. */
    private String token() {
        if (token != null && tokenFile != null) {
            throw usageError("pass either --token or --token-file, not both");
        }
        String value = token;
        if (tokenFile != null) {
            try {
                value = Files.readString(tokenFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw usageError("cannot read the token file " + tokenFile);
            }
        } else if (value == null) {
            value = System.getenv("TWOFOLD_TOKEN");
        }
        if (value == null || value.isBlank()) {
            throw usageError("no token: set TWOFOLD_TOKEN or pass --token-file (or --token)");
        }
        return value.strip();
    }
}
