package dev.twofold.benchtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The scale-out figures: one replica against two on one database. A two-replica run is two wrk
 * processes at once ({@code NAME@C.part-a.json}, {@code .part-b.json}), merged here into one result:
 * counts added, the longer duration, and each latency percentile the worse of the two halves (an
 * upper bound: the halves' histograms are not kept).
 */
final class ScaleOut {

    private static final List<String> SCENARIOS = List.of("mail-verify-warm", "two-factor-verify");

    private ScaleOut() {
    }

    /** Writes {@code NAME@C.result.json} for each pair of parts and returns those files. */
    static List<Path> mergeParts(ObjectMapper json, Path runDir) throws IOException {
        Map<String, List<Path>> parts = new TreeMap<>();
        try (Stream<Path> list = Files.list(runDir)) {
            list.filter(p -> p.getFileName().toString().contains(".part-")).sorted().forEach(p -> {
                String name = p.getFileName().toString();
                parts.computeIfAbsent(name.substring(0, name.indexOf(".part-")), k -> new ArrayList<>()).add(p);
            });
        }
        List<Path> merged = new ArrayList<>();
        for (Map.Entry<String, List<Path>> entry : parts.entrySet()) {
            ObjectNode total = null;
            for (Path part : entry.getValue()) {
                ObjectNode run = (ObjectNode) json.readTree(part.toFile());
                total = total == null ? run : add(total, run);
            }
            Path out = runDir.resolve(entry.getKey() + ".result.json");
            json.writeValue(out.toFile(), total);
            merged.add(out);
        }
        return merged;
    }

    private static ObjectNode add(ObjectNode total, ObjectNode run) {
        for (Iterator<Map.Entry<String, JsonNode>> it = run.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("latency_ms")) {
                ObjectNode latency = (ObjectNode) total.get("latency_ms");
                value.fields().forEachRemaining(p -> latency.put(p.getKey(),
                        Math.max(p.getValue().asDouble(), latency.path(p.getKey()).asDouble())));
            } else if (name.equals("duration_s")) {
                total.put(name, Math.max(value.asDouble(), total.path(name).asDouble()));
            } else if (value.isIntegralNumber()) {
                total.put(name, value.asLong() + total.path(name).asLong());
            }
        }
        return total;
    }

    static void print(StringBuilder out, Map<String, ObjectNode> runs, ArrayNode summary) {
        List<ObjectNode> rows = runs.values().stream().filter(r -> r.get("scenario").asText().startsWith("scale-"))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        out.append("\nScale-out: one database, load split evenly over the replicas (server CPU: all replicas,"
                + " % of one core; database CPU: this run's PostgreSQL backends; machine: all cores busy):\n");
        String format = "  %-20s %8s %7s %9s %8s %8s %8s %9s %9s%n";
        out.append(String.format(Locale.ROOT, format, "scenario", "replicas", "clients", "ok/s", "p99 ms",
                "srvCPU%", "dbCPU%", "db share", "machine%"));
        for (String scenario : SCENARIOS) {
            double single = Double.NaN;
            for (int replicas = 1; replicas <= 2; replicas++) {
                String name = "scale-" + scenario + "-" + replicas + "r";
                for (ObjectNode run : rows) {
                    if (!run.get("scenario").asText().equals(name)) {
                        continue;
                    }
                    double ok = run.get("ok_per_s").asDouble();
                    double server = run.path("server_cpu_pct").asDouble(Double.NaN);
                    double db = run.path("db_cpu_pct").asDouble(Double.NaN);
                    double share = db / (db + server);
                    out.append(String.format(Locale.ROOT, format, scenario, replicas, run.get("clients").asText(),
                            String.format(Locale.ROOT, "%.0f", ok), String.format(Locale.ROOT, "%.1f",
                                    run.path("latency_ms").path("p99").asDouble()),
                            String.format(Locale.ROOT, "%.0f", server), String.format(Locale.ROOT, "%.0f", db),
                            String.format(Locale.ROOT, "%.2f", share),
                            String.format(Locale.ROOT, "%.0f", run.path("machine_busy_pct").asDouble())));
                    ObjectNode node = summary.addObject().put("scenario", scenario).put("replicas", replicas)
                            .put("clients", run.get("clients").asInt()).put("ok_per_s", ok)
                            .put("p99_ms", run.path("latency_ms").path("p99").asDouble())
                            .put("server_cpu_pct", server).put("db_cpu_pct", db).put("db_cpu_share", share)
                            .put("machine_busy_pct", run.path("machine_busy_pct").asDouble());
                    if (replicas == 1) {
                        single = ok;
                    } else if (single > 0) {
                        node.put("speed_up", ok / single);
                        out.append(String.format(Locale.ROOT, "  %-20s 2 replicas / 1: %.2fx%n", scenario, ok / single));
                    }
                }
            }
        }
        out.append("  db share = database CPU / (database + service CPU); on 2 shared cores a second replica adds no"
                + " CPU, so the ratio shows where the time goes, not what more machines would give.\n");
    }
}
