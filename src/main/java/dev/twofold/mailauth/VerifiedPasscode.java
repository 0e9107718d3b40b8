package dev.twofold.mailauth;

import dev.twofold.passcode.StoredPasscode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What this replica knows for good about one passcode value: it matched the Argon2 hash stored for
 * passcode {@code id}. That stays true whatever happens to the row, except a new hash, so it needs
 * no invalidation: a login that reads the row fresh from the database skips Argon2 when the row is
 * still that passcode with that hash. Also remembers when this replica last wrote the passcode's
 * use, so that use is written at most once per resolution (and at once from a new client IP).
 */
final class VerifiedPasscode {

    private static final int MAX_RECENT_IPS = 16;

    private final UUID id;
    private final String passcodeHash;
    private final AtomicReference<Instant> lastWrite = new AtomicReference<>();
    private final Set<String> recentIps = ConcurrentHashMap.newKeySet();

    VerifiedPasscode(UUID id, String passcodeHash) {
        this.id = id;
        this.passcodeHash = passcodeHash;
    }

    /** Whether the stored row is still the passcode whose hash was verified. */
    boolean stillMatches(StoredPasscode stored) {
        return id.equals(stored.id()) && passcodeHash.equals(stored.passcodeHash());
    }

    /**
     * Whether this login's use should be written: always for a client IP not written yet (the
     * database tells whether it is new), otherwise once per {@code resolution}.
     */
    boolean claimUseWrite(Instant now, Duration resolution, Optional<String> clientIp) {
        if (clientIp.isPresent() && !recentIps.contains(clientIp.get())) {
            if (recentIps.size() >= MAX_RECENT_IPS) {
                recentIps.clear();
            }
            recentIps.add(clientIp.get());
            lastWrite.set(now);
            return true;
        }
        Instant last = lastWrite.get();
        if (last != null && now.isBefore(last.plus(resolution))) {
            return false;
        }
        return lastWrite.compareAndSet(last, now);
    }

    /** After a failed write: the next login from this IP tries again. */
    void forgetIp(Optional<String> clientIp) {
        clientIp.ifPresent(recentIps::remove);
    }
}
