package dev.twofold.changes;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The changes this replica made that are on their way to every replica, by change number, and
 * which replicas have acknowledged each (this one always among those expected).
 */
final class Acknowledgements {

    private final String replicaId;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Long, Propagation> propagations = new ConcurrentHashMap<>();

    Acknowledgements(String replicaId) {
        this.replicaId = replicaId;
    }

    /** A new change number, tracked from now on (until acknowledged, forgotten or expired). */
    long reserve() {
        long seq = sequence.incrementAndGet();
        propagations.put(seq, new Propagation(System.nanoTime()));
        return seq;
    }

    /** Completes once this replica and every one of {@code others} have acknowledged all the changes. */
    CompletableFuture<Void> expect(List<Long> seqs, Set<String> others) {
        Set<String> expected = new HashSet<>(others);
        expected.add(replicaId);
        return CompletableFuture.allOf(tracked(seqs).stream()
                .map(propagation -> propagation.expect(expected))
                .toArray(CompletableFuture[]::new));
    }

    void acknowledged(long seq, String replica) {
        Propagation propagation = propagations.get(seq);
        if (propagation != null) {
            propagation.acknowledgedBy(replica);
        }
    }

    /** The expected replicas that have not acknowledged all of the changes. */
    Set<String> missing(List<Long> seqs) {
        return tracked(seqs).stream()
                .flatMap(propagation -> propagation.missing().stream())
                .collect(Collectors.toSet());
    }

    /** Drops changes nobody will wait for (the transaction failed, or the wait is over). */
    void forget(List<Long> seqs) {
        seqs.forEach(propagations::remove);
    }

    /** Drops changes reserved longer than {@code afterNanos} ago whose wait never came or never ended. */
    void expire(long nowNanos, long afterNanos) {
        propagations.values().removeIf(propagation -> nowNanos - propagation.createdNanos > afterNanos);
    }

    private List<Propagation> tracked(List<Long> seqs) {
        return seqs.stream().map(propagations::get).filter(Objects::nonNull).toList();
    }

    /** One change on its way to every replica. */
    private static final class Propagation {

        final long createdNanos;
        private final Set<String> acknowledged = new HashSet<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Set<String> expected;

        Propagation(long createdNanos) {
            this.createdNanos = createdNanos;
        }

        synchronized CompletableFuture<Void> expect(Set<String> replicas) {
            expected = replicas;
            check();
            return done;
        }

        synchronized void acknowledgedBy(String replica) {
            acknowledged.add(replica);
            check();
        }

        synchronized Set<String> missing() {
            Set<String> missing = expected == null ? new HashSet<>() : new HashSet<>(expected);
            missing.removeAll(acknowledged);
            return missing;
        }

        private void check() {
            if (expected != null && acknowledged.containsAll(expected)) {
                done.complete(null);
            }
        }
    }
}
