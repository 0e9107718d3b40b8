package dev.twofold.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command prints on stdout: the server's JSON with {@code --json}, otherwise aligned text. Records
 * are printed field by field (nested objects as {@code a.b}) so fields a newer server adds still show.
 */
final class Output {

    /** A table column: its heading and the item field it shows. */
    record Column(String heading, String field) {}

    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** Prints a JSON answer as the server sent it, or as one aligned {@code name  value} line per field. */
    void record(JsonNode answer) {
        if (json) {
            out.println(answer);
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        flatten("", answer, fields);
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((name, value) -> out.println(pad(name, width) + "  " + value));
        out.flush();
    }

    /** Prints a list answer as the server sent it, or its items as a table (or a line saying it is empty). */
    void table(JsonNode answer, JsonNode items, String empty, List<Column> columns) {
        if (json) {
            out.println(answer);
            return;
        }
        if (items.isEmpty()) {
            out.println(empty);
            out.flush();
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::heading).toList());
        for (JsonNode item : items) {
            rows.add(columns.stream().map(c -> text(item.path(c.field()))).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(i == widths.length - 1 ? row.get(i) : pad(row.get(i), widths[i]) + "  ");
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /** One line as the server sent it (NDJSON results). */
    void line(String line) {
        out.println(line);
    }

    /** Prints a whole document: as the server sent it, or indented for people. */
    void document(JsonNode answer) {
        out.println(json ? answer.toString() : answer.toPrettyString());
        out.flush();
    }

    /** A confirmation for people; scripts get nothing with {@code --json} (the server sent no body). */
    void done(String message) {
        if (!json) {
            out.println(message);
            out.flush();
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> fields) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(field -> flatten(prefix + field.getKey() + ".", field.getValue(), fields));
        } else {
            fields.put(prefix.substring(0, Math.max(0, prefix.length() - 1)), text(node));
        }
    }

    /** A value as one cell: arrays comma-separated, objects as {@code key=value}, absent as "-". */
    private static String text(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return items.isEmpty() ? "-" : String.join(",", items);
        }
        if (value.isObject()) {
            List<String> pairs = new ArrayList<>();
            value.fields().forEachRemaining(f -> pairs.add(f.getKey() + "=" + text(f.getValue())));
            return String.join(" ", pairs);
        }
        return value.asText();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
