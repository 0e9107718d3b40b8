package dev.twofold.changes;

import jakarta.inject.Singleton;

/**
 * When this replica last received its own heartbeat on the change channel, for every {@link
 * CredentialCache} to tell whether it may answer from memory: every change committed before that
 * beat was sent has been applied, so what a cache holds is trusted within three heartbeat intervals
 * of the beat, and not at all once the listener is lost or behind ({@link CredentialChanges} keeps it).
 */
@Singleton
public final class OwnHeartbeat {

    private final long staleAfterNanos;
    /** System.nanoTime() the beat was received; 0 = out of sync. */
    private volatile long receivedAt;

    public OwnHeartbeat(PropagationConfig config) {
        this.staleAfterNanos = config.heartbeatInterval().multipliedBy(3).toNanos();
    }

    /** The beat arrived at {@code receivedNanos} (System.nanoTime()): every change committed before it was sent is applied. */
    public void received(long receivedNanos) {
        receivedAt = receivedNanos;
    }

    /** Changes may have gone unheard (the caches are emptied too): nothing is trusted until the next beat arrives. */
    public void lost() {
        receivedAt = 0;
    }

    /** Whether the last beat arrived recently enough for the cache to answer. */
    public boolean recent() {
        long at = receivedAt;
        return at != 0 && System.nanoTime() - at < staleAfterNanos;
    }
}
