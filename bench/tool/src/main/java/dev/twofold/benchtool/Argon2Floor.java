package dev.twofold.benchtool;

import de.mkammerer.argon2.Argon2;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw Argon2id floor: verifications per second at the configured cost on {@code threads}
 * threads (the service's default pool size is 2), through the same binding the service uses.
 */
final class Argon2Floor {

    private Argon2Floor() {
    }

    static void run(Args args) throws Exception {
        Argon2Params params = Argon2Params.parse(args.get("params"));
        int threads = args.integer("threads", 2);
        double seconds = args.decimal("seconds", 10);
        double warmup = args.decimal("warmup", 2);
        Argon2 argon2 = Argon2Params.argon2();
        String secret = "benchfloorsecret";
        String phc = params.hash(argon2, secret);

        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong count = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                char[] chars = secret.toCharArray();
                while (!stop.get()) {
                    if (!argon2.verify(phc, chars)) {
                        throw new IllegalStateException("Argon2 verify failed on its own hash");
                    }
                    if (measuring.get()) {
                        count.incrementAndGet();
                    }
                }
            }, "argon2-floor-" + i);
            worker.start();
            workers.add(worker);
        }
        Thread.sleep((long) (warmup * 1000));
        long start = System.nanoTime();
        measuring.set(true);
        Thread.sleep((long) (seconds * 1000));
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        long done = count.get();
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        double rate = done / (elapsed / 1e9);
        String json = String.format(java.util.Locale.ROOT,
                "{\"params\":\"%s\",\"threads\":%d,\"seconds\":%.3f,\"verifications\":%d,\"rate_per_s\":%.2f,"
                        + "\"ms_per_verification_per_thread\":%.2f}%n",
                params.label(), threads, elapsed / 1e9, done, rate, threads * 1000.0 / rate);
        Files.writeString(args.path("out"), json);
        System.out.print(json);
    }
}
