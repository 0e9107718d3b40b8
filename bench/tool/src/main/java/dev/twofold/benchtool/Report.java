package dev.twofold.benchtool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns the run's result files into the table, the floor ratios, the DESIGN quality bars and
 * {@code summary.json}. Exit status 1 only for real errors (a scenario above 1% errors, a revocation
 * violation or a vacuous revocation check), never for a ratio.
 */
final class Report {

    /** Scenarios whose 503s are the designed load shedding, reported apart and not as errors. */
    private static final List<String> SHEDDING_EXPECTED = List.of("mail-verify-first-use-1", "mail-verify-first-use-25",
            "first-use-during-flood");
    private static final List<String> ORDER = List.of("floor-echo", "floor-echo-after", "mail-verify-warm",
            "nginx-auth", "mail-verify-reject", "floor-update", "floor-update-after", "two-factor-verify",
            "keycloak-totp-login", "mail-verify-first-use-1", "mail-verify-first-use-25", "first-use-during-flood",
            "scale-mail-verify-warm-1r", "scale-mail-verify-warm-2r", "scale-two-factor-verify-1r",
            "scale-two-factor-verify-2r");
    /** Runs whose server figures (CPU, RSS) are not Twofold's: the floor app's and Keycloak's. */
    private static final List<String> NOT_TWOFOLD = List.of("floor-echo", "floor-echo-after", "floor-update",
            "floor-update-after", "keycloak-totp-login");
    private static final double MAX_ERROR_RATE = 0.01;

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final Map<String, ObjectNode> runs = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Report(Path dir) {
        this.dir = dir;
    }

    static int run(Args args) throws IOException {
        return new Report(args.path("dir")).write(args.get("focus", "64"));
    }

    private int write(String focusClients) throws IOException {
        loadRuns();
        ObjectNode summary = json.createObjectNode();
        summary.set("machine", read("env.json"));
        summary.set("population", read("manifest.json"));
        summary.set("startup", read("startup.json"));
        JsonNode argon2 = read("argon2-floor.json");
        summary.set("argon2_floor", argon2);
        ArrayNode runsJson = summary.putArray("runs");
        runs.values().forEach(runsJson::add);
        JsonNode revocation = read("revocation.json");
        summary.set("revocation", revocation);

        StringBuilder out = new StringBuilder();
        printHeader(out, summary);
        printTable(out);
        ArrayNode ratios = summary.putArray("ratios");
        ArrayNode bars = summary.putArray("bars");
        evaluate(out, focusClients, argon2, revocation, ratios, bars, summary.get("startup"));
        ScaleOut.print(out, runs, summary.putArray("scale_out"));
        ArrayNode problemsJson = summary.putArray("errors");
        problems.forEach(problemsJson::add);
        summary.put("exit_status", problems.isEmpty() ? 0 : 1);
        if (!problems.isEmpty()) {
            out.append("\nREAL ERRORS (exit status 1):\n");
            problems.forEach(p -> out.append("  - ").append(p).append('\n'));
        }
        json.writeValue(dir.resolve("summary.json").toFile(), summary);
        Files.writeString(dir.resolve("table.txt"), out.toString());
        System.out.print(out);
        System.out.println("\nJSON summary: " + dir.resolve("summary.json"));
        return problems.isEmpty() ? 0 : 1;
    }

    private void loadRuns() throws IOException {
        Path runDir = dir.resolve("runs");
        if (!Files.isDirectory(runDir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(runDir)) {
            files = list.filter(p -> p.toString().endsWith(".result.json")).toList();
        }
        files = new ArrayList<>(files);
        files.addAll(ScaleOut.mergeParts(json, runDir));
        List<ObjectNode> loaded = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString().replace(".result.json", "");
            String[] parts = name.split("@");
            ObjectNode run = (ObjectNode) json.readTree(file.toFile());
            run.put("scenario", parts[0]);
            run.put("clients", Integer.parseInt(parts[1]));
            Path meta = runDir.resolve(name + ".meta.json");
            if (Files.exists(meta)) {
                run.setAll((ObjectNode) json.readTree(meta.toFile()));
            }
            derive(run);
            loaded.add(run);
        }
        loaded.sort(Comparator.comparingInt((ObjectNode r) -> order(r.get("scenario").asText()))
                .thenComparingInt(r -> r.get("clients").asInt()));
        loaded.forEach(r -> runs.put(r.get("scenario").asText() + "@" + r.get("clients").asInt(), r));
    }

    private static int order(String scenario) {
        int i = ORDER.indexOf(scenario);
        return i < 0 ? ORDER.size() : i;
    }

    private void derive(ObjectNode run) {
        String scenario = run.get("scenario").asText();
        double seconds = Math.max(0.001, run.path("duration_s").asDouble());
        long requests = run.path("requests").asLong();
        long ok = run.path("ok").asLong();
        boolean sheddingExpected = SHEDDING_EXPECTED.contains(scenario);
        long shed = run.path("status_503").asLong();
        long errors = run.path("mismatch").asLong() + run.path("status_422").asLong()
                + run.path("status_429").asLong() + run.path("status_4xx_other").asLong()
                + run.path("status_5xx_other").asLong() + run.path("status_other").asLong()
                + run.path("socket_errors").asLong() + (sheddingExpected ? 0 : shed);
        run.put("req_per_s", requests / seconds);
        if (run.has("server_cpu_pct") && requests > 0) {
            // Server CPU per answered request: less sensitive to other load on the machine than req/s.
            run.put("server_cpu_us_per_request", run.get("server_cpu_pct").asDouble() / 100 * run.path("wall_s").asDouble()
                    * 1e6 / requests);
        }
        run.put("ok_per_s", ok / seconds);
        run.put("errors", errors);
        run.put("shed", sheddingExpected ? shed : 0);
        double errorRate = requests == 0 ? 1.0 : (double) errors / requests;
        run.put("error_rate", errorRate);
        // Requests that reached the service's secret check: every one sent (those still in flight when
        // the load stopped are evaluated too; run.sh waits for the Argon2 pool to drain before counting)
        // less those refused up front with 503/429.
        long evaluatedRequests = run.has("refused_total")
                ? run.get("sent").asLong() - run.get("refused_total").asLong()
                : run.path("sent").asLong(requests) - run.path("status_503").asLong() - run.path("status_429").asLong();
        if (run.has("argon2_evaluations")) {
            run.put("argon2_per_request", run.get("argon2_evaluations").asDouble() / Math.max(1, evaluatedRequests));
        }
        String id = scenario + " @" + run.get("clients").asInt();
        if (errorRate > MAX_ERROR_RATE) {
            problems.add(String.format(Locale.ROOT, "%s: %d errors in %d requests (%.1f%%)", id, errors, requests,
                    100 * errorRate));
        }
        if (run.path("wrapped").asLong() > 0 && (run.path("tool").asText().startsWith("jvm")
                || scenario.contains("two-factor-verify") || scenario.startsWith("keycloak"))) {
            problems.add(id + ": its pool of one-time secrets ran out, so the rate is understated");
        }
    }

    private void printHeader(StringBuilder out, JsonNode summary) {
        JsonNode env = summary.path("machine");
        JsonNode pop = summary.path("population");
        out.append("\n=== Twofold benchmark (").append(env.path("mode").asText("?")).append(" mode) ===\n");
        out.append(String.format(Locale.ROOT,
                "Machine: %s cores shared by the service, PostgreSQL and the load generator (wrk, C; Argon2-bound"
                        + " first-use and revocation loads: a JVM closed-loop client); load average at start %s.%n",
                env.path("cores").asText("?"), env.path("loadavg_start").asText("?")));
        out.append(String.format(Locale.ROOT, "Service: %s, prod profile, JVM options '%s', git %s.%n",
                env.path("java").asText("?"), env.path("jvm_opts").asText(""), env.path("git").asText("?")));
        out.append("Floors: the bare Quarkus app in bench/floor (its own process, java -jar with no JVM options,"
                + " Quarkus defaults, reactive pool of 20 as the service's); floor rows show its CPU and RSS."
                + " Keycloak: kc.sh's default JVM options; its row shows its JVM's CPU and RSS.\n");
        out.append(String.format(Locale.ROOT,
                "Population: %s two-factor accounts, %s app passcodes (core: %s accounts with 1-25 passcodes and"
                        + " 10 recovery codes each; %s passcodes with real Argon2id %s hashes, the rest never presented"
                        + " and carrying a placeholder hash).%n",
                pop.path("two_factor_accounts").asText("?"), pop.path("app_passcodes").asText("?"),
                pop.path("core_accounts").asText("?"), pop.path("real_argon2_hashes").asText("?"),
                pop.path("argon2").asText("?")));
        out.append("Latency: wrk's per-request latency (no coordinated-omission correction); first-use rows: latency of"
                + " accepted requests only (503-shed requests are retried after Retry-After).\n\n");
    }

    private void printTable(StringBuilder out) {
        String format = "%-28s %7s %9s %9s %8s %8s %8s %8s %7s %6s %7s %7s %6s %6s %6s %8s%n";
        out.append(String.format(Locale.ROOT, format, "scenario", "clients", "req/s", "ok/s", "p50 ms", "p90 ms",
                "p99 ms", "max ms", "errors", "shed", "srvCPU%", "µs/req", "dbCPU%", "lgCPU%", "RSSMiB", "Argon2/rq"));
        for (ObjectNode run : runs.values()) {
            JsonNode lat = run.path("latency_ms");
            out.append(String.format(Locale.ROOT, format, run.get("scenario").asText(), run.get("clients").asText(),
                    num(run.get("req_per_s").asDouble()), num(run.get("ok_per_s").asDouble()),
                    ms(lat.path("p50").asDouble()), ms(lat.path("p90").asDouble()), ms(lat.path("p99").asDouble()),
                    ms(lat.path("max").asDouble()), run.get("errors").asText(), run.get("shed").asText(),
                    pct(run.path("server_cpu_pct")), pct(run.path("server_cpu_us_per_request")),
                    pct(run.path("db_cpu_pct")), pct(run.path("lg_cpu_pct")),
                    run.has("rss_max_mib") ? String.valueOf(run.get("rss_max_mib").asInt()) : "-",
                    run.has("argon2_per_request") ? String.format(Locale.ROOT, "%.3f", run.get("argon2_per_request").asDouble()) : "-"));
        }
    }

    private void evaluate(StringBuilder out, String focus, JsonNode argon2, JsonNode revocation, ArrayNode ratios,
            ArrayNode bars, JsonNode startup) {
        String c = runs.containsKey("floor-echo@" + focus) ? focus : "16";
        double argon2Rate = argon2.path("rate_per_s").asDouble(0);
        out.append(String.format(Locale.ROOT, "%nFloors (same run, same machine): raw Argon2id %s on %s threads = %.1f"
                + " verifications/s%n", argon2.path("params").asText("?"), argon2.path("threads").asText("?"), argon2Rate));

        out.append(String.format(Locale.ROOT, "%nRatios to floors at %s clients (floors: mean of the runs before and"
                + " after the hot paths):%n", c));
        ratio(out, ratios, "mail-verify-warm / floor-echo (req/s)", okRate("mail-verify-warm@" + c), okRate("floor-echo@" + c));
        ratio(out, ratios, "mail-verify-warm / floor-echo (p99)", p99("mail-verify-warm@" + c), p99("floor-echo@" + c));
        ratio(out, ratios, "nginx-auth / floor-echo (req/s)", okRate("nginx-auth@" + c), okRate("floor-echo@" + c));
        ratio(out, ratios, "nginx-auth / floor-echo (p99)", p99("nginx-auth@" + c), p99("floor-echo@" + c));
        ratio(out, ratios, "mail-verify-reject / floor-echo (req/s)", okRate("mail-verify-reject@" + c), okRate("floor-echo@" + c));
        ratio(out, ratios, "two-factor-verify / floor-update (req/s)", okRate("two-factor-verify@" + c), okRate("floor-update@" + c));
        ratio(out, ratios, "two-factor-verify / floor-update (p99)", p99("two-factor-verify@" + c), p99("floor-update@" + c));
        ratio(out, ratios, "two-factor-verify / keycloak-totp-login (req/s)", okRate("two-factor-verify@" + c),
                okRate("keycloak-totp-login@" + c));
        ratio(out, ratios, "floor-echo / mail-verify-warm (server CPU per request)", cpuPerRequest("floor-echo@" + c),
                cpuPerRequest("mail-verify-warm@" + c));
        ratio(out, ratios, "floor-update / two-factor-verify (server CPU per request)", cpuPerRequest("floor-update@" + c),
                cpuPerRequest("two-factor-verify@" + c));
        String coldClients = runs.containsKey("mail-verify-first-use-1@16") ? "16" : c;
        ratio(out, ratios, "first use, 1 passcode @" + coldClients + " / raw Argon2 (ok/s)",
                okRate("mail-verify-first-use-1@" + coldClients), argon2Rate);
        ratio(out, ratios, "first use, 25 passcodes @" + coldClients + " / raw Argon2 (ok/s)",
                okRate("mail-verify-first-use-25@" + coldClients), argon2Rate);

        out.append("\nDESIGN quality bars:\n");
        bar(out, bars, "mail-auth verify, cache-warm, req/s >= 50% of echo floor @" + c,
                okRate("mail-verify-warm@" + c) / okRate("floor-echo@" + c), ">=", 0.5, "x");
        bar(out, bars, "mail-auth verify, cache-warm, p99 <= 2x echo floor p99 @" + c,
                p99("mail-verify-warm@" + c) / p99("floor-echo@" + c), "<=", 2.0, "x");
        bar(out, bars, "nginx auth_http, cache-warm, req/s >= 50% of echo floor @" + c,
                okRate("nginx-auth@" + c) / okRate("floor-echo@" + c), ">=", 0.5, "x");
        bar(out, bars, "nginx auth_http, cache-warm, p99 <= 2x echo floor p99 @" + c,
                p99("nginx-auth@" + c) / p99("floor-echo@" + c), "<=", 2.0, "x");
        bar(out, bars, "first use (1 passcode) >= 90% of raw Argon2 rate @" + coldClients,
                okRate("mail-verify-first-use-1@" + coldClients) / argon2Rate, ">=", 0.9, "x");
        bar(out, bars, "first use (25 passcodes) >= 90% of raw Argon2 rate @" + coldClients,
                okRate("mail-verify-first-use-25@" + coldClients) / argon2Rate, ">=", 0.9, "x");
        bar(out, bars, "first use: Argon2 evaluations per request <= 1 (worst run, 1 and 25 passcodes)",
                maxOf("argon2_per_request", "mail-verify-first-use-1", "mail-verify-first-use-25"), "<=", 1.0, "");
        String flood = runs.keySet().stream().filter(key -> key.startsWith("first-use-during-flood@")).findFirst()
                .orElse("first-use-during-flood@4");
        bar(out, bars, "first use during a cancelled-request flood: victims' p99 <= 1 s (Dovecot gives up at 5 s)",
                p99(flood) / 1000, "<=", 1.0, " s");
        bar(out, bars, "two-factor verify req/s >= 50% of UPDATE floor @" + c,
                okRate("two-factor-verify@" + c) / okRate("floor-update@" + c), ">=", 0.5, "x");
        bar(out, bars, "two-factor verify p99 <= 2x UPDATE floor p99 @" + c,
                p99("two-factor-verify@" + c) / p99("floor-update@" + c), "<=", 2.0, "x");
        bar(out, bars, "Twofold TOTP sign-in >= 9x Keycloak's password + OTP direct grants (req/s) @" + c,
                okRate("two-factor-verify@" + c) / okRate("keycloak-totp-login@" + c), ">=", 9.0, "x");
        int rssClients = runs.values().stream().mapToInt(r -> r.get("clients").asInt()).filter(n -> n <= 256).max()
                .orElse(256);
        bar(out, bars, "service RSS <= 300 MiB at " + rssClients + " clients (max sampled over its runs at that level)",
                maxOf("rss_max_mib", rssClients, twofoldScenarios()), "<=", 300, " MiB");
        double startA = startup.path("instance_a_ms").asDouble(Double.NaN);
        double startB = startup.path("instance_b_ms").asDouble(Double.NaN);
        bar(out, bars, String.format(Locale.ROOT, "start to ready <= 3 s (best of: instance a %.0f ms,"
                + " instance b %.0f ms)", startA, startB), Math.min(nanToInf(startA), nanToInf(startB)) / 1000.0,
                "<=", 3.0, " s");
        if (revocation.isMissingNode() || revocation.isNull()) {
            bar(out, bars, "revocation: accepts after DELETE returned (two instances)", Double.NaN, "<=", 0, "");
        } else {
            for (JsonNode round : revocation.path("rounds")) {
                out.append(String.format(Locale.ROOT, "  revocation round: load %s, DELETE via %s -> %d in %.0f ms; accepts"
                        + " before %d, overlapping the DELETE %d, after it %d of %d requests%n",
                        round.path("load").asText(), round.path("revoke").asText(), round.path("delete_status").asInt(),
                        round.path("delete_ms").asDouble(), round.path("accepts_before").asLong(),
                        round.path("accepts_overlapping_delete").asLong(), round.path("accepts_after").asLong(),
                        round.path("requests_after").asLong()));
            }
            long violations = revocation.path("violations").asLong();
            boolean vacuous = revocation.path("vacuous").asBoolean();
            bar(out, bars, "revocation: accepts after DELETE returned, other instance under load ("
                    + revocation.path("rounds").size() + " rounds)" + (vacuous ? " [VACUOUS: see summary]" : ""),
                    vacuous ? Double.NaN : violations, "<=", 0, "");
            if (violations > 0) {
                problems.add("revocation: " + violations + " logins accepted after the DELETE returned");
            }
            if (vacuous) {
                problems.add("revocation check was vacuous (no accept before the DELETE, no request after it, or"
                        + " the DELETE did not answer 204)");
            }
        }
    }

    private static double nanToInf(double v) {
        return Double.isNaN(v) || v <= 0 ? Double.POSITIVE_INFINITY : v;
    }

    /** ok/s of a run; for a floor, the mean of its runs before and after the hot paths. */
    private double okRate(String key) {
        return field(key, run -> run.get("ok_per_s").asDouble());
    }

    private double p99(String key) {
        return field(key, run -> run.path("latency_ms").path("p99").asDouble());
    }

    private double cpuPerRequest(String key) {
        return field(key, run -> run.path("server_cpu_us_per_request").asDouble(Double.NaN));
    }

    private double field(String key, java.util.function.ToDoubleFunction<ObjectNode> value) {
        ObjectNode run = runs.get(key);
        if (run == null) {
            return Double.NaN;
        }
        String[] parts = key.split("@");
        ObjectNode after = parts[0].startsWith("floor-") ? runs.get(parts[0] + "-after@" + parts[1]) : null;
        return after == null ? value.applyAsDouble(run) : (value.applyAsDouble(run) + value.applyAsDouble(after)) / 2;
    }

    private static String[] twofoldScenarios() {
        return ORDER.stream().filter(s -> !NOT_TWOFOLD.contains(s) && !s.startsWith("scale-")).toArray(String[]::new);
    }

    private double maxOf(String field, String... scenarios) {
        return maxOf(field, -1, scenarios);
    }

    /** The largest value of a field over the runs of these scenarios (at {@code clients}, or any when -1). */
    private double maxOf(String field, int clients, String... scenarios) {
        double max = Double.NaN;
        for (ObjectNode run : runs.values()) {
            if (List.of(scenarios).contains(run.get("scenario").asText()) && run.has(field)
                    && (clients < 0 || run.get("clients").asInt() == clients)) {
                double v = run.get(field).asDouble();
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        return max;
    }

    private static void ratio(StringBuilder out, ArrayNode ratios, String name, double a, double b) {
        double r = a / b;
        out.append(String.format(Locale.ROOT, "  %-72s %s%n", name, Double.isFinite(r)
                ? String.format(Locale.ROOT, "%.2f  (%s / %s)", r, num(a), num(b)) : "n/a"));
        ObjectNode node = ratios.addObject();
        node.put("name", name);
        if (Double.isFinite(r)) {
            node.put("value", r);
        }
    }

    private static void bar(StringBuilder out, ArrayNode bars, String name, double value, String op, double limit,
            String unit) {
        boolean measured = Double.isFinite(value);
        boolean pass = measured && (op.equals(">=") ? value >= limit : value <= limit);
        String verdict = !measured ? "N/A " : pass ? "PASS" : "FAIL";
        out.append(String.format(Locale.ROOT, "  [%s] %-92s %s%n", verdict, name,
                measured ? String.format(Locale.ROOT, "%.2f%s (%s %s%s)", value, unit, op, trim(limit), unit) : "not measured"));
        ObjectNode node = bars.addObject();
        node.put("bar", name);
        node.put("verdict", verdict.trim());
        if (measured) {
            node.put("value", value);
        }
        node.put("limit", op + " " + trim(limit));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v) : "-";
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    private static String pct(JsonNode v) {
        return v.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.0f", v.asDouble());
    }

    private JsonNode read(String name) throws IOException {
        Path file = dir.resolve(name);
        return Files.exists(file) ? json.readTree(file.toFile()) : json.nullNode();
    }
}
