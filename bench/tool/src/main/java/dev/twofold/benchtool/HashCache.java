package dev.twofold.benchtool;

import de.mkammerer.argon2.Argon2;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Real Argon2id hashes of throwaway passcodes, kept between runs (a hash does not depend on the key
 * ring, so each run can reuse them with its own fresh ring): only the first run pays ~30 ms of CPU
 * per passcode the scenarios will present.
 */
final class HashCache {

    record Entry(String passcode, String phc) {
    }

    private HashCache() {
    }

    /** {@code count} distinct passcodes with their hashes, computing (and caching) the missing ones. */
    static List<Entry> take(Path file, Argon2Params params, int count, int threads) throws Exception {
        List<Entry> entries = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.split("\t");
                if (parts.length == 2 && entries.size() < count) {
                    entries.add(new Entry(parts[0], parts[1]));
                }
            }
        }
        int missing = count - entries.size();
        if (missing <= 0) {
            return entries;
        }
        System.err.printf("Computing %d Argon2id hashes (%s) for the passcodes the scenarios present;"
                + " cached in %s for later runs...%n", missing, params.label(), file);
        Files.createDirectories(file.getParent());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Argon2 argon2 = Argon2Params.argon2();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            List<Future<Entry>> futures = new ArrayList<>();
            for (int i = 0; i < missing; i++) {
                futures.add(pool.submit(() -> {
                    String passcode = Population.randomPasscode();
                    return new Entry(passcode, params.hash(argon2, passcode));
                }));
            }
            for (Future<Entry> future : futures) {
                Entry entry = future.get();
                out.write(entry.passcode() + "\t" + entry.phc() + "\n");
                entries.add(entry);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        } finally {
            pool.shutdown();
        }
        return entries;
    }
}
