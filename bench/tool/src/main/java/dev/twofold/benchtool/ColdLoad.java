package dev.twofold.benchtool;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * First use of app passcodes, Argon2-bound: {@code concurrency} closed-loop clients, each presenting
 * a passcode nobody has presented before. A request shed with 503 (or throttled with 429) is retried
 * with the same passcode after Retry-After, as a mail server's tempfail would make the mail app do,
 * so every accepted request is a genuine first use and none is counted twice. wrk cannot do this
 * (its answers are not tied to the request that caused them); at tens of requests per second this
 * driver's own CPU use is negligible.
 *
 * <p>With {@code --flood-rate N} (and {@code --key}, {@code --issuer}) the clients are the victims of
 * a {@link Flood} of fire-and-close passcode creations sent meanwhile, and a login's latency runs
 * from its first attempt to its acceptance, waits after a 503 included: what the mail user waits.
 */
final class ColdLoad {

    private ColdLoad() {
    }

    static void run(Args args) throws Exception {
        String baseUrl = args.get("url");
        String token = args.get("token");
        List<String[]> pool = Seeder.readTsv(args.path("pool"));
        int concurrency = args.integer("concurrency", 16);
        double seconds = args.decimal("seconds", 10);
        int floodRate = args.integer("flood-rate", 0);
        Flood flood = floodRate == 0 ? null
                : new Flood(baseUrl, Jwts.readPrivateKey(args.path("key")), args.get("issuer"),
                        (int) Math.ceil(floodRate * seconds));

        ExecutorService executor = Executors.newFixedThreadPool(2);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        HttpClient client = Http.client(executor);
        Queue<String[]> queue = new ConcurrentLinkedQueue<>(pool);
        Latencies okLatency = new Latencies();
        AtomicLong completed = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong acceptedTotal = new AtomicLong();
        AtomicLong mismatch = new AtomicLong();
        AtomicLong shed = new AtomicLong();
        AtomicLong throttled = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong refusedTotal = new AtomicLong();
        AtomicBoolean exhausted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);

        class Client {
            final int id;

            Client(int id) {
                this.id = id;
            }

            void next() {
                String[] item = System.nanoTime() < end ? queue.poll() : null;
                if (item == null) {
                    if (System.nanoTime() < end) {
                        exhausted.set(true);
                    }
                    finished.countDown();
                    return;
                }
                send(item, System.nanoTime());
            }

            void send(String[] item, long firstAttempt) {
                long t0 = flood == null ? System.nanoTime() : firstAttempt;
                sent.incrementAndGet();
                String ip = item.length > 2 ? item[2] : Population.clientIp(id);
                client.sendAsync(Http.verify(baseUrl, token, item[0], item[1], ip), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> {
                            long t1 = System.nanoTime();
                            boolean inWindow = t1 <= end;
                            if (inWindow) {
                                completed.incrementAndGet();
                            }
                            if (failure != null) {
                                count(errors, inWindow);
                                next();
                            } else if (response.statusCode() == 200 && response.body().contains(Http.ACCEPT)) {
                                acceptedTotal.incrementAndGet();
                                if (inWindow) {
                                    ok.incrementAndGet();
                                }
                                // A victim's login that outlasts the flood still counts: the slow ones are the point.
                                if (inWindow || flood != null) {
                                    okLatency.add(t1 - t0);
                                }
                                next();
                            } else if (response.statusCode() == 503 || response.statusCode() == 429) {
                                refusedTotal.incrementAndGet();
                                count(response.statusCode() == 503 ? shed : throttled, inWindow);
                                long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                                if (System.nanoTime() + wait * 1_000_000_000L >= end) {
                                    finished.countDown();
                                } else {
                                    timer.schedule(() -> send(item, firstAttempt), Math.min(wait, 5), TimeUnit.SECONDS);
                                }
                            } else {
                                count(response.statusCode() == 200 ? mismatch : errors, inWindow);
                                next();
                            }
                        });
            }
        }

        if (flood != null) {
            flood.start(floodRate);
        }
        for (int i = 0; i < concurrency; i++) {
            new Client(i).next();
        }
        boolean allDone = finished.await((long) seconds + 120, TimeUnit.SECONDS);
        if (flood != null) {
            flood.close();
        }
        double elapsed = (Math.min(System.nanoTime(), end) - start) / 1e9;
        timer.shutdownNow();
        executor.shutdownNow();
        String json = String.format(Locale.ROOT,
                "{\"tool\":\"jvm-closed-loop\",\"duration_s\":%.3f,\"requests\":%d,\"ok\":%d,\"mismatch\":%d,"
                        + "\"status_422\":0,\"status_429\":%d,\"status_503\":%d,\"status_4xx_other\":0,"
                        + "\"status_5xx_other\":0,\"status_other\":0,\"socket_errors\":%d,\"timeouts\":%d,"
                        + "\"lines\":%d,\"wrapped\":%d,\"sent\":%d,\"refused_total\":%d,\"accepted_total\":%d,\"latency_of\":\"%s\","
                        + "\"flood_sent\":%d,\"flood_failed\":%d,\"latency_ms\":%s}%n",
                elapsed, completed.get(), ok.get(), mismatch.get(), throttled.get(), shed.get(), errors.get(),
                allDone ? 0 : 1, pool.size(), exhausted.get() ? 1 : 0, sent.get(), refusedTotal.get(), acceptedTotal.get(),
                flood == null ? "accepted" : "accepted, from first attempt", flood == null ? 0 : flood.sent(),
                flood == null ? 0 : flood.failed(), okLatency.json());
        Files.writeString(args.path("out"), json);
    }

    private static void count(AtomicLong counter, boolean inWindow) {
        if (inWindow) {
            counter.incrementAndGet();
        }
    }
}
