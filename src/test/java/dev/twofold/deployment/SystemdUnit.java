package dev.twofold.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A systemd unit file: sections of repeatable {@code Key=value} settings, continuation lines joined. */
record SystemdUnit(Map<String, List<Map.Entry<String, String>>> sections) {

    static SystemdUnit parse(String relative) {
        Map<String, List<Map.Entry<String, String>>> sections = new LinkedHashMap<>();
        String section = "";
        for (LogicalLines.Line line : LogicalLines.of(Repository.read(relative), "#;", relative)) {
            String text = line.text();
            if (text.startsWith("[") && text.endsWith("]")) {
                section = text.substring(1, text.length() - 1);
                sections.putIfAbsent(section, new ArrayList<>());
                continue;
            }
            int equals = text.indexOf('=');
            if (equals < 0) {
                throw new IllegalStateException(relative + " line " + line.number() + ": not a Key=value line");
            }
            sections.computeIfAbsent(section, s -> new ArrayList<>())
                    .add(Map.entry(
                            text.substring(0, equals).strip(),
                            text.substring(equals + 1).strip()));
        }
        return new SystemdUnit(sections);
    }

    List<String> values(String section, String key) {
        return sections.getOrDefault(section, List.of()).stream()
                .filter(e -> e.getKey().equals(key))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** The last value of a setting (systemd's rule for single-valued keys), or {@code null}. */
    String value(String section, String key) {
        List<String> values = values(section, key);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }
}
