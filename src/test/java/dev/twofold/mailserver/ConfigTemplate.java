package dev.twofold.mailserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fills a configuration file for one test run by replacing literal example values. A value that
 * no longer occurs fails the run, so a documented file and the test that proves it cannot drift apart.
 */
final class ConfigTemplate {

    private ConfigTemplate() {}

    static String render(Path file, Map<String, String> replacements) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (replacement.getKey().startsWith("@@") || text.contains(replacement.getKey())) {
                text = text.replace(replacement.getKey(), replacement.getValue());
            } else {
                throw new IllegalStateException(file + " no longer contains '" + replacement.getKey() + "'");
            }
        }
        if (text.contains("@@")) {
            throw new IllegalStateException(file + " has an unfilled @@placeholder@@");
        }
        return text;
    }
}
