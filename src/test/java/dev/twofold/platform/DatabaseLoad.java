package dev.twofold.platform;

import static io.restassured.RestAssured.given;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Parallel clients doing what mail servers and webmail do all day (mail logins, TOTP verifies,
 * app passcode creations) while a test breaks the database, with every answer recorded; and a
 * poller of readiness, as an orchestrator would.
 */
final class DatabaseLoad implements AutoCloseable {

    enum Operation {
        MAIL_LOGIN,
        TOTP_VERIFY,
        PASSCODE_CREATION
    }

    /** A passcode a mail client logs in with. */
    record Login(String account, String passcode) {}

    /** An account with two-factor authentication on, and its seed. */
    record TotpAccount(String account, byte[] seed) {}

    /**
     * One answer. {@code status} -1: no answer within {@link #CLIENT_TIMEOUT}; -2: the answer broke
     * the contract or the client failed ({@code detail} says how). Times are {@link System#nanoTime()}.
     */
    record Outcome(
            Operation operation,
            long startedAt,
            long endedAt,
            int status,
            String retryAfter,
            String problemType,
            String detail,
            String account,
            String createdId,
            String createdName,
            long step) {

        boolean succeeded() {
            return status >= 200 && status < 300;
        }

        /** A 503 service-unavailable problem with Retry-After: the one acceptable failure while the database is away. */
        boolean unavailableWithRetryAfter() {
            return status == 503
                    && retryAfter != null
                    && !retryAfter.isBlank()
                    && "https://twofold.dev/problems/service-unavailable".equals(problemType);
        }

        Duration took() {
            return Duration.ofNanos(endedAt - startedAt);
        }
    }

    /** One readiness probe: when, and whether it answered 200. */
    record Probe(long at, boolean up) {}

    static final int CLIENTS_PER_OPERATION = 3;
    /** A client that gets no answer within this long counts the request as hung. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    /** Think time between a client's requests: keeps the two shared cores for the service and PostgreSQL. */
    private static final long THINK_MILLIS = 40;

    private static final int PASSCODES_PER_ACCOUNT = 20;
    private static final RestAssuredConfig BOUNDED = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.socket.timeout", (int) CLIENT_TIMEOUT.toMillis())
                    .setParam("http.connection.timeout", 5_000));

    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService clients = Executors.newFixedThreadPool(3 * CLIENTS_PER_OPERATION + 1);

    private DatabaseLoad() {}

    /** Starts the clients: logins rotate over {@code logins}; each TOTP client gets its share of {@code totp}. */
    static DatabaseLoad start(List<Login> logins, List<TotpAccount> totp) {
        DatabaseLoad load = new DatabaseLoad();
        int share = totp.size() / CLIENTS_PER_OPERATION;
        for (int client = 0; client < CLIENTS_PER_OPERATION; client++) {
            int id = client;
            load.loop(() -> load.mailLogin(logins.get(id % logins.size())));
            TotpClient totpClient = new TotpClient(totp.subList(client * share, (client + 1) * share));
            load.loop(() -> load.totpVerify(totpClient));
            PasscodeClient passcodeClient = new PasscodeClient(id);
            load.loop(() -> load.createPasscode(passcodeClient));
        }
        load.clients.submit(load::probeReadiness);
        return load;
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    List<Probe> probes() {
        return List.copyOf(probes);
    }

    /** Successful answers of {@code operation} to requests started at or after {@code since}. */
    long successesSince(Operation operation, long since) {
        return outcomes.stream()
                .filter(o -> o.operation() == operation && o.startedAt() >= since && o.succeeded())
                .count();
    }

    /** 503 answers of {@code operation} to requests started at or after {@code since}. */
    long unavailableSince(Operation operation, long since) {
        return outcomes.stream()
                .filter(o -> o.operation() == operation && o.startedAt() >= since && o.status() == 503)
                .count();
    }

    /** 503 answers of {@code operation} given at or after {@code since}, to requests started at any time. */
    long unavailableAnsweredSince(Operation operation, long since) {
        return outcomes.stream()
                .filter(o -> o.operation() == operation && o.endedAt() >= since && o.status() == 503)
                .count();
    }

    boolean readinessSince(long since, boolean up) {
        return probes.stream().anyMatch(probe -> probe.at() >= since && probe.up() == up);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        clients.shutdown();
        if (!clients.awaitTermination(CLIENT_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
            throw new AssertionError("load clients did not stop");
        }
    }

    private void loop(Runnable request) {
        clients.submit(() -> {
            while (!stop.get()) {
                request.run();
                Thread.sleep(THINK_MILLIS);
            }
            return null;
        });
    }

    private void mailLogin(Login login) {
        record(
                Operation.MAIL_LOGIN,
                login.account(),
                0,
                () -> Api.as(Tokens.mailServer())
                        .config(BOUNDED)
                        .body(Passcodes.login(login.account(), login.passcode(), "imap", "198.51.100.7"))
                        .post("/v1/mail-auth/verify"));
    }

    private void totpVerify(TotpClient client) {
        TotpClient.Attempt attempt = client.next();
        if (attempt == null) {
            return;
        }
        record(
                Operation.TOTP_VERIFY,
                attempt.account().account(),
                attempt.step(),
                () -> Api.as(Tokens.owner(attempt.account().account()))
                        .config(BOUNDED)
                        .body(Map.of(
                                "code", TwoFactorSteps.code(attempt.account().seed(), attempt.step())))
                        .post(
                                "/v1/accounts/{id}/two-factor/verify",
                                attempt.account().account()));
    }

    private void createPasscode(PasscodeClient client) {
        String account = client.account();
        String name = client.nextName();
        record(
                Operation.PASSCODE_CREATION,
                account,
                0,
                () -> Api.as(Tokens.owner(account))
                        .config(BOUNDED)
                        .body(Map.of("name", name))
                        .post("/v1/accounts/{id}/app-passcodes", account));
    }

    private void record(Operation operation, String account, long step, Supplier<Response> call) {
        long started = System.nanoTime();
        try {
            Response response = call.get();
            String type = String.valueOf(response.contentType()).startsWith("application/problem+json")
                    ? response.jsonPath().getString("type")
                    : null;
            boolean created = response.statusCode() == 201;
            String detail = operation == Operation.MAIL_LOGIN && response.statusCode() == 200
                    ? response.jsonPath().getString("decision")
                    : null;
            outcomes.add(new Outcome(
                    operation,
                    started,
                    System.nanoTime(),
                    response.statusCode(),
                    response.header("Retry-After"),
                    type,
                    detail,
                    account,
                    created ? response.jsonPath().getString("id") : null,
                    created ? response.jsonPath().getString("name") : null,
                    step));
        } catch (Throwable failure) {
            int status = rootCause(failure) instanceof SocketTimeoutException ? -1 : -2;
            outcomes.add(new Outcome(
                    operation,
                    started,
                    System.nanoTime(),
                    status,
                    null,
                    null,
                    failure.toString(),
                    account,
                    null,
                    null,
                    step));
        }
    }

    private Void probeReadiness() throws InterruptedException {
        while (!stop.get()) {
            long at = System.nanoTime();
            boolean up;
            try {
                up = given().config(BOUNDED).get("/q/health/ready").statusCode() == 200;
            } catch (RuntimeException failure) {
                up = false;
            }
            probes.add(new Probe(at, up));
            Thread.sleep(200);
        }
        return null;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Picks, for its accounts in turn, a time step the server accepts: later than the last one tried
     * on that account (a step is accepted once) and within ±1 of now.
     */
    private static final class TotpClient {

        record Attempt(TotpAccount account, long step) {}

        private final List<TotpAccount> accounts;
        private final long[] lastStep;
        private int next;

        TotpClient(List<TotpAccount> accounts) {
            this.accounts = new ArrayList<>(accounts);
            this.lastStep = new long[accounts.size()];
        }

        Attempt next() {
            long now = TwoFactorSteps.step(Instant.now());
            for (int tried = 0; tried < accounts.size(); tried++) {
                int index = next;
                next = (next + 1) % accounts.size();
                long step = Math.max(lastStep[index] + 1, now - 1);
                if (step <= now + 1) {
                    // Never retried: a 503 may have consumed the step, and a replay would be refused.
                    lastStep[index] = step;
                    return new Attempt(accounts.get(index), step);
                }
            }
            return null;
        }
    }

    /** Names every passcode uniquely, and moves to a fresh account before the per-account limit. */
    private static final class PasscodeClient {

        private final int id;
        private int created;
        private String account;

        PasscodeClient(int id) {
            this.id = id;
        }

        String account() {
            if (created % PASSCODES_PER_ACCOUNT == 0) {
                account = Accounts.fresh();
            }
            return account;
        }

        String nextName() {
            return "load-" + id + "-" + created++;
        }
    }
}
