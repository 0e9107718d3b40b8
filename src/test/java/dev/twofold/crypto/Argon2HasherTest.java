package dev.twofold.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.mkammerer.argon2.Argon2Factory;
import dev.twofold.crypto.Argon2Hasher.Verification;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.testing.ConfigProblems;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class Argon2HasherTest {

    /** Argon2 settings as a plain value; the defaults mirror {@link Argon2Config}'s. */
    record Settings(int memoryKib, int iterations, int parallelism, int poolSize, int maxQueue)
            implements Argon2Config {
        static final Settings DEFAULTS = new Settings(19456, 2, 1, 2, 32);
        /** The cheapest accepted cost, to keep tests fast. */
        static final Settings CHEAP = new Settings(8192, 1, 1, 2, 32);
    }

    private static final long TIMEOUT_SECONDS = 60;
    private static Vertx vertx;
    private static WorkerExecutor executor;

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        executor = vertx.createSharedWorkerExecutor("argon2-test", 2);
    }

    @AfterAll
    static void stopVertx() {
        vertx.closeAndAwait();
    }

    /** A hasher with its own registry, so several per test do not share meters. */
    private static Argon2Hasher hasher(Settings settings) {
        return new Argon2Hasher(settings, executor, new SimpleMeterRegistry());
    }

    @Test
    void defaultsProduceAnArgon2idPhcStringThatVerifies() {
        Argon2Hasher hasher = hasher(Settings.DEFAULTS);

        String phc = hasher.hashNow("abcdefghijklmnop");

        assertTrue(phc.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), phc);
        assertEquals(new Verification(true, false), hasher.verifyNow(phc, "abcdefghijklmnop"));
    }

    @Test
    void verifyTellsTheRightSecretFromAWrongOne() {
        Argon2Hasher hasher = hasher(Settings.CHEAP);
        String phc = hasher.hashNow("abcdefghijklmnop");

        assertTrue(phc.startsWith("$argon2id$v=19$m=8192,t=1,p=1$"), phc);
        assertEquals(new Verification(true, false), hasher.verifyNow(phc, "abcdefghijklmnop"));
        assertEquals(new Verification(false, false), hasher.verifyNow(phc, "abcdefghijklmnoq"));
        assertEquals(new Verification(false, false), hasher.verifyNow(phc, ""));
    }

    @Test
    void equalSecretsGetDifferentSalts() {
        Argon2Hasher hasher = hasher(Settings.CHEAP);

        assertFalse(hasher.hashNow("same").equals(hasher.hashNow("same")));
    }

    static Stream<Arguments> costChanges() {
        return Stream.of(
                Arguments.of(new Settings(16384, 1, 1, 2, 32), true),
                Arguments.of(new Settings(8192, 2, 1, 2, 32), true),
                Arguments.of(new Settings(8192, 1, 2, 2, 32), true),
                Arguments.of(new Settings(8192, 1, 1, 4, 0), false));
    }

    @ParameterizedTest
    @MethodSource("costChanges")
    void aMatchNeedsRehashWhenTheConfiguredCostRises(Settings now, boolean needsRehash) {
        String phc = hasher(Settings.CHEAP).hashNow("abcdefghijklmnop");

        assertEquals(new Verification(true, needsRehash), hasher(now).verifyNow(phc, "abcdefghijklmnop"));
        assertEquals(new Verification(false, false), hasher(now).verifyNow(phc, "wrong"));
    }

    @Test
    void otherArgon2VariantsAndMalformedStringsDoNotMatch() {
        String argon2i = Argon2Factory.create().hash(1, 8192, 1, "secret".toCharArray());
        Argon2Hasher hasher = hasher(Settings.CHEAP);

        assertEquals(new Verification(false, false), hasher.verifyNow(argon2i, "secret"));
        assertEquals(new Verification(false, false), hasher.verifyNow("not a hash", "secret"));
    }

    @Test
    void countsEveryEvaluationInTotalAndInMetrics() {
        Argon2Hasher hasher = new Argon2Hasher(Settings.CHEAP, executor, registry);
        String phc = hasher.hashNow("secret");
        hasher.verifyNow(phc, "secret");
        hasher.verifyNow(phc, "wrong");

        assertEquals(3, hasher.evaluations());
        assertEquals(
                1.0,
                registry.get("twofold.argon2.evaluations")
                        .tag("op", "hash")
                        .counter()
                        .count());
        assertEquals(
                2.0,
                registry.get("twofold.argon2.evaluations")
                        .tag("op", "verify")
                        .counter()
                        .count());
        assertEquals(
                2,
                registry.get("twofold.argon2.duration")
                        .tag("op", "verify")
                        .timer()
                        .count());
        assertEquals(0.0, registry.get("twofold.argon2.in.flight").gauge().value());
        assertEquals(0.0, registry.get("twofold.argon2.shed").counter().count());
    }

    @Test
    void hashAndVerifyRunOnTheWorkerPool() {
        Argon2Hasher hasher = new Argon2Hasher(Settings.CHEAP, vertx, registry);

        String phc = hasher.hash("secret").await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS));

        assertEquals(
                new Verification(true, false),
                hasher.verify(phc, "secret").await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)));
        assertEquals(2, hasher.evaluations());
    }

    @Test
    void evaluationsFromOneEventLoopDoNotQueueBehindItsOtherBlockingWork() throws Exception {
        Argon2Hasher hasher = hasher(Settings.CHEAP);
        Context context = vertx.getOrCreateContext();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> hashed = new CompletableFuture<>();

        context.runOnContext(() -> {
            // An ordered blocking task holds this context's ordered queue until released.
            context.executeBlocking(Uni.createFrom().item(() -> awaitQuietly(release)), true)
                    .subscribe()
                    .with(x -> {});
            hasher.hash("secret").subscribe().with(hashed::complete, hashed::completeExceptionally);
        });
        try {
            assertTrue(hashed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).startsWith("$argon2id$"));
        } finally {
            release.countDown();
        }
    }

    @Test
    void shedsLoadOncePoolAndQueueAreFull() throws Exception {
        WorkerExecutor single = vertx.createSharedWorkerExecutor("argon2-shed-test", 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        single.executeBlocking(
                        Uni.createFrom().item(() -> {
                            running.countDown();
                            return awaitQuietly(release);
                        }),
                        false)
                .subscribe()
                .with(x -> {});
        assertTrue(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        Argon2Hasher hasher = new Argon2Hasher(new Settings(8192, 1, 1, 1, 1), single, registry);

        try {
            CompletableFuture<String> first = hasher.hash("one").subscribeAsCompletionStage();
            CompletableFuture<String> second = hasher.hash("two").subscribeAsCompletionStage();
            assertEquals(2.0, registry.get("twofold.argon2.in.flight").gauge().value());

            ProblemException shed = assertThrows(
                    ProblemException.class,
                    () -> hasher.verify("$argon2id$x", "three").await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)));
            assertEquals(ProblemType.SERVICE_OVERLOADED, shed.type());
            assertEquals(Optional.of(Duration.ofSeconds(1)), shed.retryAfter());
            assertEquals(1.0, registry.get("twofold.argon2.shed").counter().count());

            release.countDown();
            assertTrue(first.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).startsWith("$argon2id$"));
            assertTrue(second.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).startsWith("$argon2id$"));
            assertEquals(0.0, registry.get("twofold.argon2.in.flight").gauge().value());
            assertEquals(2, hasher.evaluations(), "a shed request costs no evaluation");
            assertTrue(hasher.hash("four")
                    .await()
                    .atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                    .startsWith("$argon2id$"));
        } finally {
            release.countDown();
            single.closeAndAwait();
        }
    }

    @Test
    void aCancelledEvaluationHoldsItsPlaceUntilAWorkerReachesItAndIsThenSkipped() throws Exception {
        withBusyWorker(new Settings(8192, 1, 1, 1, 1), (hasher, release) -> {
            // The caller goes away (a closed connection) while its hash waits for the busy worker.
            hasher.hash("abandoned").subscribe().with(x -> {}).cancel();
            assertEquals(1.0, registry.get("twofold.argon2.in.flight").gauge().value(), "still queued, still counted");
            CompletableFuture<String> kept = hasher.hash("kept").subscribeAsCompletionStage();
            ProblemException shed = assertThrows(
                    ProblemException.class,
                    () -> hasher.hash("third").await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)));
            assertEquals(ProblemType.SERVICE_OVERLOADED, shed.type());

            release.countDown();
            assertTrue(kept.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).startsWith("$argon2id$"));
            assertEquals(1, hasher.evaluations(), "the abandoned hash was skipped");
            assertEquals(0.0, registry.get("twofold.argon2.in.flight").gauge().value());
        });
    }

    @Test
    void aSetIsAdmittedOrShedAsAWholeAndCountedDownAsItIsHashed() throws Exception {
        withBusyWorker(new Settings(8192, 1, 1, 1, 2), (hasher, release) -> {
            ProblemException shed = assertThrows(
                    ProblemException.class,
                    () -> hasher.hashAll(List.of("a", "b", "c", "d"))
                            .await()
                            .atMost(Duration.ofSeconds(TIMEOUT_SECONDS)));
            assertEquals(ProblemType.SERVICE_OVERLOADED, shed.type());
            CompletableFuture<List<String>> set =
                    hasher.hashAll(List.of("a", "b", "c")).subscribeAsCompletionStage();
            assertEquals(3.0, registry.get("twofold.argon2.in.flight").gauge().value());

            release.countDown();
            List<String> hashes = set.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(3, hashes.size());
            assertEquals(new Verification(true, false), hasher.verifyNow(hashes.get(1), "b"));
            assertEquals(0.0, registry.get("twofold.argon2.in.flight").gauge().value());
        });
    }

    @Test
    void resultsComeBackOnTheCallersContext() throws Exception {
        Argon2Hasher hasher = hasher(Settings.CHEAP);
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Boolean> sameContext = new CompletableFuture<>();

        context.runOnContext(() -> hasher.hash("secret")
                .subscribe()
                .with(
                        phc -> sameContext.complete(Vertx.currentContext() != null
                                && Vertx.currentContext().getDelegate() == context.getDelegate()),
                        sameContext::completeExceptionally));

        assertTrue(sameContext.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    interface BusyWorkerTest {
        void run(Argon2Hasher hasher, CountDownLatch release) throws Exception;
    }

    /** Runs {@code test} with a hasher whose only worker is busy until the test counts {@code release} down. */
    private void withBusyWorker(Settings settings, BusyWorkerTest test) throws Exception {
        WorkerExecutor single = vertx.createSharedWorkerExecutor("argon2-busy-" + System.nanoTime(), 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        try {
            single.executeBlocking(
                            Uni.createFrom().item(() -> {
                                running.countDown();
                                return awaitQuietly(release);
                            }),
                            false)
                    .subscribe()
                    .with(x -> {});
            assertTrue(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            test.run(new Argon2Hasher(settings, single, registry), release);
        } finally {
            release.countDown();
            single.closeAndAwait();
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "memory-kib, 8191",
        "memory-kib, 4194305",
        "iterations, 0",
        "parallelism, 0",
        "parallelism, 17",
        "pool-size, 0",
        "max-queue, -1",
    })
    void rejectsUnsafeOrImpossibleSettingsAtBoot(String property, String value) {
        List<String> problems = ConfigProblems.of(Argon2Config.class, Map.of("twofold.argon2." + property, value));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("twofold.argon2." + property + " "), problems.toString());
    }

    @Test
    void defaultsAndTheCheapestCostBoot() {
        assertEquals(List.of(), ConfigProblems.of(Argon2Config.class, Map.of()));
        assertEquals(
                List.of(),
                ConfigProblems.of(
                        Argon2Config.class,
                        Map.of(
                                "twofold.argon2.memory-kib",
                                "8192",
                                "twofold.argon2.iterations",
                                "1",
                                "twofold.argon2.parallelism",
                                "16",
                                "twofold.argon2.max-queue",
                                "0")));
    }

    private static Void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
