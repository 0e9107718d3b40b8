package dev.twofold.benchtool;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Revocation under load across replicas: clients keep signing in with one passcode on one instance
 * (so its cache is hot) while the passcode is revoked through the other; every accept of a request
 * that started after the DELETE returned is a violation (must be 0). Rounds alternate the direction.
 */
final class RevocationCheck {

    private record Sample(long start, long end, int status, boolean accepted) {
    }

    private static final int MIN_ACCEPTS_BEFORE = 50;

    private RevocationCheck() {
    }

    static void run(Args args) throws Exception {
        String[] urls = {args.get("url-a"), args.get("url-b")};
        String token = args.get("token");
        String adminToken = args.get("admin-token");
        List<String[]> cases = Seeder.readTsv(args.path("cases"));
        int rounds = Math.min(args.integer("rounds", 4), cases.size());
        int clients = args.integer("clients", 16);
        long beforeMs = args.integer("before-ms", 1000);
        long afterMs = args.integer("after-ms", 1500);

        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpClient client = Http.client(executor);
        List<String> roundsJson = new ArrayList<>();
        long totalViolations = 0;
        boolean vacuous = false;
        for (int r = 0; r < rounds; r++) {
            String[] row = cases.get(r);
            String loadUrl = urls[(r + 1) % 2];
            String revokeUrl = urls[r % 2];
            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                Thread thread = new Thread(() -> {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> response = client.send(
                                    Http.verify(loadUrl, token, row[0], row[2], Population.clientIp(id)), HttpResponse.BodyHandlers.ofString());
                            samples.add(new Sample(t0, System.nanoTime(), response.statusCode(),
                                    response.statusCode() == 200 && response.body().contains(Http.ACCEPT)));
                        } catch (Exception e) {
                            samples.add(new Sample(t0, System.nanoTime(), -1, false));
                        }
                    }
                }, "revocation-load-" + c);
                thread.start();
                threads.add(thread);
            }
            // The DELETE goes out once the loaded instance has been accepting for a while (its cache
            // is hot), or after 30 s at most (then the round is reported vacuous).
            long waitUntil = System.nanoTime() + 30_000_000_000L;
            while (samples.stream().filter(Sample::accepted).count() < MIN_ACCEPTS_BEFORE
                    && System.nanoTime() < waitUntil) {
                Thread.sleep(50);
            }
            Thread.sleep(beforeMs);
            long deleteStart = System.nanoTime();
            HttpResponse<String> deleted = client.send(Http.revoke(revokeUrl, adminToken, row[0], row[1]),
                    HttpResponse.BodyHandlers.ofString());
            long deleteEnd = System.nanoTime();
            Thread.sleep(afterMs);
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            long acceptsBefore = 0;
            long acceptsDuring = 0;
            long violations = 0;
            long requestsAfter = 0;
            long otherAfter = 0;
            for (Sample s : samples) {
                if (s.end() < deleteStart && s.accepted()) {
                    acceptsBefore++;
                }
                if (s.start() > deleteEnd) {
                    requestsAfter++;
                    if (s.accepted()) {
                        violations++;
                    } else if (s.status() != 200) {
                        otherAfter++;
                    }
                } else if (s.end() >= deleteStart && s.accepted()) {
                    acceptsDuring++;
                }
            }
            vacuous |= acceptsBefore == 0 || requestsAfter == 0 || deleted.statusCode() != 204;
            totalViolations += violations;
            roundsJson.add(String.format(Locale.ROOT,
                    "{\"load\":\"%s\",\"revoke\":\"%s\",\"delete_status\":%d,\"delete_ms\":%.2f,"
                            + "\"accepts_before\":%d,\"accepts_overlapping_delete\":%d,\"requests_after\":%d,"
                            + "\"accepts_after\":%d,\"non_200_after\":%d}",
                    loadUrl, revokeUrl, deleted.statusCode(), (deleteEnd - deleteStart) / 1e6, acceptsBefore,
                    acceptsDuring, requestsAfter, violations, otherAfter));
        }
        executor.shutdownNow();
        String json = String.format(Locale.ROOT, "{\"rounds\":[%s],\"violations\":%d,\"vacuous\":%b}%n",
                String.join(",", roundsJson), totalViolations, vacuous);
        Files.writeString(args.path("out"), json);
        System.out.print(json);
    }
}
