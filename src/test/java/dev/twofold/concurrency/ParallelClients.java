package dev.twofold.concurrency;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twofold.testing.Api;
import dev.twofold.testing.Jdbc;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.filter.Filter;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Many callers at once, as webmail back-ends and mail servers call: each task runs on its own
 * thread, all released together. A request that gets no answer within {@link #CLIENT_TIMEOUT} (a
 * hung request) or is answered 5xx fails the run, whatever the task itself expected; responses are
 * still validated against the contract ({@link Api}).
 */
final class ParallelClients implements AutoCloseable {

    static final int CLIENTS = 16;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TASK_TIMEOUT = Duration.ofMinutes(10);

    private static final RestAssuredConfig TIMEOUTS = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.connection.timeout", (int) CLIENT_TIMEOUT.toMillis())
                    .setParam("http.socket.timeout", (int) CLIENT_TIMEOUT.toMillis()));

    private final ExecutorService threads;
    private final boolean sheddingExpected;
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    private final Filter serverErrorRecorder = (request, response, context) -> {
        Response answer = context.next(request, response);
        if (answer.statusCode() >= 500 && !(sheddingExpected() && isShed(answer))) {
            serverErrors.add(request.getMethod() + " " + request.getURI() + " → " + answer.statusCode() + " "
                    + answer.asString());
        }
        return answer;
    };

    ParallelClients() {
        this(CLIENTS, false);
    }

    /** With {@code sheddingExpected}, a 503 {@code service-overloaded} is an answer, not a fault. */
    ParallelClients(int threads, boolean sheddingExpected) {
        this.threads = Executors.newFixedThreadPool(threads);
        this.sheddingExpected = sheddingExpected;
    }

    private boolean sheddingExpected() {
        return sheddingExpected;
    }

    private static boolean isShed(Response answer) {
        return answer.statusCode() == 503
                && "https://twofold.dev/problems/service-overloaded".equals(answer.path("type"));
    }

    /** A request as {@link Api#as}, with the client timeout and 5xx recording. */
    RequestSpecification as(String token) {
        return Api.as(token).config(TIMEOUTS).filter(serverErrorRecorder);
    }

    /** Runs {@code count} tasks at once; their results in order. Fails on any 5xx, hung request or failed task. */
    <T> List<T> run(int count, IntFunction<T> task) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(threads.submit(() -> {
                start.await();
                return task.apply(index);
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>(count);
        List<String> failures = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                // Only a safety net: a task may send many requests, each bounded by the client timeout.
                results.add(future.get(TASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                failures.add(e.getCause().toString());
                results.add(null);
            } catch (TimeoutException | InterruptedException e) {
                failures.add("no answer: " + e);
                results.add(null);
            }
        }
        List<String> errors = List.copyOf(serverErrors);
        serverErrors.clear();
        assertEquals(List.of(), errors, "5xx answers");
        assertEquals(List.of(), failures, "failed or hung requests");
        return results;
    }

    /** How many responses had each status. */
    static Map<Integer, Long> statuses(List<Response> responses) {
        return responses.stream()
                .collect(Collectors.groupingBy(Response::statusCode, TreeMap::new, Collectors.counting()));
    }

    /** No connection of the test database is left inside a transaction once the answers are in. */
    static void assertNoTransactionLeftOpen() {
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertEquals(
                        List.of(),
                        Jdbc.query("""
                select pid, state, left(query, 120) from pg_stat_activity
                 where datname = current_database() and pid <> pg_backend_pid()
                   and state like 'idle in transaction%'""").stream().map(Arrays::toString).toList()));
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
