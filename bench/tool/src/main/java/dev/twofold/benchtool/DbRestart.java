package dev.twofold.benchtool;

import dev.twofold.totp.HashAlgorithm;
import dev.twofold.totp.Totp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Database restart during load: mail logins, TOTP verifies and app passcode creations from parallel
 * closed-loop clients while a command (the machine's {@code pg_ctlcluster … restart}) restarts
 * PostgreSQL. Reports 5xx answers (500s and 503s apart), hung requests, seconds from the database's
 * return to full service (the end of the last failed answer), and operations lost: passcodes whose
 * creation was acknowledged (201) but that the service cannot show afterwards, or that exist twice.
 */
final class DbRestart {

    private enum Operation { MAIL_LOGIN, TOTP_VERIFY, PASSCODE_CREATION }

    private record Sample(Operation operation, long start, long end, int status, String account, String passcodeId) {
        boolean failed() {
            // 422: a TOTP step already used (the clients do not know the steps earlier runs used).
            return status < 200 || status >= 300 && status != 422;
        }
    }

    private static final Duration PERIOD = Duration.ofSeconds(30);
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private DbRestart() {
    }

    static void run(Args args) throws Exception {
        String url = args.get("url");
        String mailToken = args.get("token");
        PrivateKey idpKey = Jwts.readPrivateKey(args.path("key"));
        String issuer = args.get("issuer");
        List<String[]> logins = Seeder.readTsv(args.path("pool"));
        List<String[]> seeds = Seeder.readTsv(args.path("seeds"));
        int clients = args.integer("clients", 4);
        long beforeMs = args.integer("before-s", 3) * 1000L;
        long afterMs = args.integer("after-s", 15) * 1000L;

        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpClient client = Http.client(executor);
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        int share = Math.max(1, seeds.size() / clients);
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(loop("db-restart-login-" + c, stop, samples, new Runnable() {
                int next = id;

                @Override
                public void run() {
                    String[] login = logins.get(next++ % logins.size());
                    send(client, samples, Operation.MAIL_LOGIN, login[0],
                            Http.verify(url, mailToken, login[0], login[1], Population.clientIp(id)));
                }
            }));
            List<String[]> mine = seeds.subList(Math.min(seeds.size(), id * share), Math.min(seeds.size(), (id + 1) * share));
            long[] lastStep = new long[mine.size()];
            threads.add(loop("db-restart-totp-" + c, stop, samples, new Runnable() {
                int next;

                @Override
                public void run() {
                    long now = Totp.timeStep(Instant.now(), PERIOD);
                    for (int tried = 0; tried < mine.size(); tried++) {
                        int i = next;
                        next = (next + 1) % mine.size();
                        long step = Math.max(lastStep[i] + 1, now - 1);
                        if (step <= now + 1) {
                            lastStep[i] = step;
                            String account = mine.get(i)[0];
                            String code = Totp.hotp(HexFormat.of().parseHex(mine.get(i)[1]), step, 6, HashAlgorithm.SHA1);
                            send(client, samples, Operation.TOTP_VERIFY, account, post(url + "/v1/accounts/" + account
                                    + "/two-factor/verify", owner(idpKey, issuer, account), "{\"code\":\"" + code + "\"}"));
                            return;
                        }
                    }
                }
            }));
            threads.add(loop("db-restart-create-" + c, stop, samples, new Runnable() {
                int created;
                String account;

                @Override
                public void run() {
                    if (created++ % 20 == 0) {
                        account = "restart-" + id + "-" + UUID.randomUUID().toString().substring(0, 8) + "@bench.test";
                    }
                    send(client, samples, Operation.PASSCODE_CREATION, account, post(url + "/v1/accounts/" + account
                            + "/app-passcodes", owner(idpKey, issuer, account), "{\"name\":\"restart-" + created + "\"}"));
                }
            }));
        }
        Thread.sleep(beforeMs);
        long restartStart = System.nanoTime();
        Process restart = new ProcessBuilder("bash", "-c", args.get("restart")).inheritIO().start();
        int restartStatus = restart.waitFor();
        long back = System.nanoTime();
        Thread.sleep(afterMs);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(90_000);
        }

        List<Sample> all = List.copyOf(samples);
        long internalErrors = all.stream().filter(s -> s.status() >= 500 && s.status() != 503).count();
        long unavailable = all.stream().filter(s -> s.status() == 503).count();
        long hung = all.stream().filter(s -> s.status() < 0).count();
        long lastFailureEnd = all.stream().filter(s -> s.start() >= restartStart && s.failed())
                .mapToLong(Sample::end).max().orElse(back);
        double toFullService = Math.max(0, (lastFailureEnd - back) / 1e9);
        List<Sample> acknowledged = all.stream()
                .filter(s -> s.operation() == Operation.PASSCODE_CREATION && s.status() == 201).toList();
        long lost = 0;
        for (Sample created : acknowledged) {
            HttpResponse<String> shown = client.send(HttpRequest.newBuilder(URI.create(url + "/v1/accounts/"
                    + created.account() + "/app-passcodes/" + created.passcodeId())).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + owner(idpKey, issuer, created.account())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (shown.statusCode() != 200) {
                lost++;
            }
        }
        long duplicates = acknowledged.size() - acknowledged.stream().map(Sample::passcodeId).distinct().count();
        String json = String.format(Locale.ROOT, "{\"restart\":\"%s\",\"restart_exit\":%d,\"restart_s\":%.2f,"
                + "\"requests\":%d,\"five_xx\":%d,\"internal_errors\":%d,\"unavailable_503\":%d,\"hung\":%d,"
                + "\"seconds_to_full_service\":%.2f,\"acknowledged_creations\":%d,\"operations_lost\":%d,\"duplicates\":%d}",
                args.get("restart").replace("\"", "'"), restartStatus, (back - restartStart) / 1e9, all.size(),
                internalErrors + unavailable, internalErrors, unavailable, hung, toFullService, acknowledged.size(),
                lost, duplicates);
        Files.writeString(args.path("out"), json + "\n");
        System.out.println(json);
        executor.shutdownNow();
    }

    private static Thread loop(String name, AtomicBoolean stop, ConcurrentLinkedQueue<Sample> samples, Runnable request) {
        Thread thread = new Thread(() -> {
            while (!stop.get()) {
                request.run();
            }
        }, name);
        thread.start();
        return thread;
    }

    private static void send(HttpClient client, ConcurrentLinkedQueue<Sample> samples, Operation operation,
            String account, HttpRequest request) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String id = null;
            if (response.statusCode() == 201) {
                Matcher matcher = ID.matcher(response.body());
                id = matcher.find() ? matcher.group(1) : null;
            }
            samples.add(new Sample(operation, t0, System.nanoTime(), response.statusCode(), account, id));
            if (response.statusCode() == 503) {
                // A real client honours Retry-After; a short pause keeps the loop from spinning.
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            samples.add(new Sample(operation, t0, System.nanoTime(), -1, account, null));
        }
    }

    private static HttpRequest post(String url, String token, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String owner(PrivateKey key, String issuer, String account) {
        try {
            return Jwts.mint(key, issuer, account, "", Duration.ofMinutes(10));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
