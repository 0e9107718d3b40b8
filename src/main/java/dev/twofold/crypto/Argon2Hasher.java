package dev.twofold.crypto;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import dev.twofold.platform.Meters;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Argon2id hashing for low-entropy or long-lived secrets (app passcodes, recovery codes), as PHC
 * strings. Evaluations run on a dedicated worker pool of {@code pool-size} threads, so memory stays
 * bounded and the event loop never blocks; once {@code pool-size + max-queue} evaluations are in
 * flight, new ones fail at once with {@link ProblemType#SERVICE_OVERLOADED} instead of queueing
 * without bound. An evaluation counts from the moment it is queued until a worker has finished it,
 * whatever happens to the request that asked for it. Results come back on the caller's Vert.x
 * context, so reactive sessions keep working. Callers hold no database transaction or session while
 * they wait: a hash takes tens of milliseconds and may wait behind others.
 */
@ApplicationScoped
@Startup
public class Argon2Hasher {

    /** The outcome of a verification; {@code needsRehash} is only ever true for a match. */
    public record Verification(boolean matches, boolean needsRehash) {}

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final String EVALUATIONS = "twofold.argon2.evaluations";
    private static final String DURATION = "twofold.argon2.duration";

    // The no-arg factory would give Argon2i; Argon2id is the recommended variant for passwords.
    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
    private final Argon2Config config;
    private final WorkerExecutor executor;
    private final int capacity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong evaluations = new AtomicLong();
    private final MeterRegistry registry;
    private final Counter hashCount;
    private final Counter verifyCount;
    private final Counter shedCount;
    private final Timer hashTimer;
    private final Timer verifyTimer;

    @Inject
    public Argon2Hasher(Argon2Config config, Vertx vertx, MeterRegistry registry) {
        this(config, vertx.createSharedWorkerExecutor("argon2", config.poolSize()), registry);
    }

    /** For tests: runs on the given executor, which should have {@code config.poolSize()} threads. */
    Argon2Hasher(Argon2Config config, WorkerExecutor executor, MeterRegistry registry) {
        this.config = config;
        this.executor = executor;
        this.capacity = config.poolSize() + config.maxQueue();
        this.registry = registry;
        this.hashCount = Meters.counter(registry, EVALUATIONS, "Argon2id evaluations", "op", "hash");
        this.verifyCount = Meters.counter(registry, EVALUATIONS, "Argon2id evaluations", "op", "verify");
        this.hashTimer = Meters.timer(registry, DURATION, "Time spent in one Argon2id evaluation", "op", "hash");
        this.verifyTimer = Meters.timer(registry, DURATION, "Time spent in one Argon2id evaluation", "op", "verify");
        this.shedCount = Counter.builder("twofold.argon2.shed")
                .description("Argon2id evaluations refused because the pool and its queue were full")
                .register(registry);
        Gauge.builder("twofold.argon2.in.flight", inFlight, AtomicInteger::get)
                .description("Argon2id evaluations running or waiting for a worker")
                .register(registry);
    }

    /** Hashes {@code secret} to an Argon2id PHC string with the configured parameters. */
    public Uni<String> hash(String secret) {
        Objects.requireNonNull(secret, "secret");
        return offload(1, reservation -> hashNow(secret));
    }

    /**
     * Hashes every secret, in order, as one task of {@code secrets.size()} evaluations: admitted or
     * shed as a whole, so a refused set costs nothing and an admitted one cannot be half-done.
     */
    public Uni<List<String>> hashAll(List<String> secrets) {
        secrets.forEach(secret -> Objects.requireNonNull(secret, "secret"));
        List<String> copy = List.copyOf(secrets);
        return offload(copy.size(), reservation -> {
            List<String> hashes = new ArrayList<>(copy.size());
            for (String secret : copy) {
                if (reservation.abandoned()) {
                    return null;
                }
                hashes.add(hashNow(secret));
                reservation.releaseOne();
            }
            return hashes;
        });
    }

    /** Checks {@code secret} against a PHC string and says whether it should be re-hashed. */
    public Uni<Verification> verify(String phc, String secret) {
        Objects.requireNonNull(phc, "phc");
        Objects.requireNonNull(secret, "secret");
        return offload(1, reservation -> verifyNow(phc, secret));
    }

    /**
     * Checks {@code secret} against a hash an earlier system made, on this pool and within its bound
     * (bcrypt and Argon2id cost as much as an evaluation of ours).
     */
    public Uni<Boolean> verifyLegacy(LegacyPasscodeHash hash, String secret) {
        return offload(1, reservation -> hash.matches(secret));
    }

    /** How many evaluations may be running or queued at once ({@code pool-size + max-queue}). */
    public int capacity() {
        return capacity;
    }

    /** Total Argon2id evaluations (hashes and verifications) since start. */
    public long evaluations() {
        return evaluations.get();
    }

    String hashNow(String secret) {
        char[] chars = secret.toCharArray();
        Timer.Sample sample = Timer.start(registry);
        try {
            return argon2.hash(config.iterations(), config.memoryKib(), config.parallelism(), chars);
        } finally {
            sample.stop(hashTimer);
            argon2.wipeArray(chars);
            hashCount.increment();
            evaluations.incrementAndGet();
        }
    }

    Verification verifyNow(String phc, String secret) {
        char[] chars = secret.toCharArray();
        Timer.Sample sample = Timer.start(registry);
        boolean matches;
        try {
            // Argon2id verification also rejects Argon2i/Argon2d strings and malformed ones (false).
            matches = argon2.verify(phc, chars);
        } finally {
            sample.stop(verifyTimer);
            argon2.wipeArray(chars);
            verifyCount.increment();
            evaluations.incrementAndGet();
        }
        return new Verification(matches, matches && needsRehash(phc));
    }

    /** Any cost parameter below the configured one calls for a new hash (lower settings never downgrade). */
    private boolean needsRehash(String phc) {
        return argon2.needsRehash(phc, config.iterations(), config.memoryKib(), config.parallelism());
    }

    /**
     * Reserves {@code weight} evaluations, then runs {@code work} on the pool. The reservation is
     * released by the worker once the evaluations are over (or skipped), never when the caller goes
     * away: a cancelled request must not free capacity while its work still waits or runs, or
     * fire-and-close floods would queue unbounded work behind the gauge's back. Work whose caller
     * has gone by the time a worker picks it up is skipped. The result is delivered on the caller's
     * Vert.x context (its reactive session and duplicated-context data live there).
     */
    private <T> Uni<T> offload(int weight, Function<Reservation, T> work) {
        return Uni.createFrom().emitter(emitter -> {
            if (!reserve(weight)) {
                shedCount.increment();
                emitter.fail(new ProblemException(
                        ProblemType.SERVICE_OVERLOADED,
                        "Too many secret checks are in progress; try again shortly.",
                        RETRY_AFTER));
                return;
            }
            Context caller = io.vertx.core.Vertx.currentContext();
            Reservation reservation = new Reservation(weight);
            // Completion also terminates the emitter, but only after the work is over: then there is nothing to skip.
            emitter.onTermination(reservation::abandon);
            Callable<T> task = () -> {
                try {
                    return reservation.abandoned() ? null : work.apply(reservation);
                } finally {
                    reservation.releaseRest();
                }
            };
            try {
                // ordered=false: the default (ordered) queues every task from one event loop behind the
                // previous one, so a single event loop could never use more than one worker.
                // The pool's thread count still bounds how many evaluations hold memory at once.
                executor.getDelegate()
                        .executeBlocking(task, false)
                        .onComplete(result -> onContext(caller, () -> {
                            if (result.succeeded()) {
                                emitter.complete(result.result());
                            } else {
                                emitter.fail(result.cause());
                            }
                        }));
            } catch (RuntimeException rejected) {
                reservation.releaseRest();
                emitter.fail(rejected);
            }
        });
    }

    private boolean reserve(int weight) {
        if (inFlight.addAndGet(weight) > capacity) {
            inFlight.addAndGet(-weight);
            return false;
        }
        return true;
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || io.vertx.core.Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(ignored -> action.run());
        }
    }

    /** One reservation: released one evaluation at a time as the work proceeds, the rest when it ends. */
    private final class Reservation {

        private final AtomicInteger reserved;
        private volatile boolean abandoned;

        Reservation(int weight) {
            this.reserved = new AtomicInteger(weight);
        }

        void abandon() {
            abandoned = true;
        }

        boolean abandoned() {
            return abandoned;
        }

        /** Called after each evaluation of a multi-evaluation task. */
        void releaseOne() {
            if (reserved.getAndUpdate(left -> Math.max(left - 1, 0)) > 0) {
                inFlight.decrementAndGet();
            }
        }

        void releaseRest() {
            inFlight.addAndGet(-reserved.getAndSet(0));
        }
    }

    @PreDestroy
    void close() {
        executor.closeAndForget();
    }
}
