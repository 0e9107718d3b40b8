package dev.twofold.benchtool;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} options. */
record Args(Map<String, String> values) {

    static Args parse(String[] argv) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + argv[i]);
            }
            String name = argv[i].substring(2);
            String value = i + 1 < argv.length && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
            values.put(name, value);
        }
        return new Args(values);
    }

    String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    double decimal(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    Path path(String name) {
        return Path.of(get(name));
    }
}
