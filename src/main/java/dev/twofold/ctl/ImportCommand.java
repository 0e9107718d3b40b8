package dev.twofold.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Imports accounts from an NDJSON file, one account per line (see the README).",
            "The file is streamed to the server, which answers one result per line; lines already there are",
            "skipped, so a rerun is safe. Prints a summary; the error lines go to stderr or --errors."
        })
final class ImportCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Parameters(paramLabel = "FILE", description = "The NDJSON file.")
    Path file;

    @Option(names = "--dry-run", description = "Check every line and report, but change nothing.")
    boolean dryRun;

    @Option(names = "--errors", paramLabel = "FILE", description = "Write the error results to FILE, not stderr.")
    Path errors;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show a progress bar on stderr (default: when attached to a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw api.usageError("no such file: " + file);
        }
        TwofoldClient client = api.client();
        PrintWriter err = api.stderr();
        Output output = api.output();
        ImportProgress bar = showProgress() ? new ImportProgress(err, countLines(file)) : null;
        Map<String, Long> counts = new TreeMap<>(Map.of("imported", 0L, "skipped", 0L, "error", 0L));
        String path = "/v1/admin/imports" + (dryRun ? "?dryRun=true" : "");
        try (Stream<String> results = client.postLines(path, file);
                PrintWriter errorLines = errors == null ? null : new PrintWriter(Files.newBufferedWriter(errors))) {
            results.filter(line -> !line.isBlank()).forEach(line -> {
                JsonNode result = TwofoldClient.parse(line);
                String status = result.path("status").asText("error");
                counts.merge(status, 1L, Long::sum);
                if (output.json()) {
                    output.line(line);
                }
                if ("error".equals(status)) {
                    (errorLines == null ? err : errorLines).println(line);
                }
                if (bar != null) {
                    bar.advance();
                }
            });
        } catch (UncheckedIOException e) {
            throw new CommandFailure(
                    "the connection broke off during the import: " + e.getCause(), ExitCodes.UNREACHABLE);
        }
        if (bar != null) {
            bar.finish();
        }
        output.done(String.format(
                Locale.ROOT,
                "imported %d, skipped %d, error %d%s",
                counts.get("imported"),
                counts.get("skipped"),
                counts.get("error"),
                dryRun ? " (dry run: nothing was changed)" : ""));
        return counts.get("error") == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private boolean showProgress() {
        return progress != null ? progress : System.console() != null;
    }

    /** Counted up front for the progress bar, reading the file once without holding it. */
    private static long countLines(Path file) throws IOException {
        long lines = 0;
        byte last = '\n';
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
                for (int i = 0; i < read; i++) {
                    lines += buffer[i] == '\n' ? 1 : 0;
                }
                last = buffer[read - 1];
            }
        }
        return last == '\n' ? lines : lines + 1;
    }
}
