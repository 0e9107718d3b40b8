package dev.twofold.changes;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * When each replica's heartbeat was last received here (System.nanoTime()), this one's included: a
 * replica heard within three intervals is live, and a change made here waits for its acknowledgement.
 */
final class Heartbeats {

    private final String replicaId;
    private final long staleAfterNanos;
    private final Map<String, Long> heard = new ConcurrentHashMap<>();

    Heartbeats(String replicaId, long staleAfterNanos) {
        this.replicaId = replicaId;
        this.staleAfterNanos = staleAfterNanos;
    }

    /** Records a beat of {@code replica}; whether it is this replica's own. */
    boolean heard(String replica, long nowNanos) {
        heard.put(replica, nowNanos);
        return replica.equals(replicaId);
    }

    /** When this replica last received its own beat. */
    Optional<Long> own() {
        return Optional.ofNullable(heard.get(replicaId));
    }

    /** The other replicas heard from within three heartbeat intervals. */
    Set<String> liveOthers(long nowNanos) {
        return heard.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(replicaId) && nowNanos - entry.getValue() < staleAfterNanos)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Forgets replicas not heard from for {@code afterNanos} (stopped, or cut off). */
    void expire(long nowNanos, long afterNanos) {
        heard.values().removeIf(at -> nowNanos - at > afterNanos);
    }
}
