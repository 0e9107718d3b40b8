package dev.twofold.rotation;

import dev.twofold.crypto.KeyRing;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Refuses to boot when a key was removed from {@code twofold.encryption.keys} while rows still need
 * it: seeds sealed under it would be unreadable, and lookup hashes keyed under it would silently
 * stop matching (the login answers "unknown" with no error anywhere). The message names each
 * missing key and what still needs it, never key material.
 *
 * <p>Lookup rows stored before key ids were recorded (or by a replica of the previous release during
 * the upgrade) have no key id; they may be keyed under any key that was in the ring while they
 * existed, which each boot records in {@code lookup_legacy_key}. None of those keys may leave the
 * ring while such rows are usable; when the active key is the only one ever recorded, the rows are
 * known to be keyed under it and get its id.
 */
@ApplicationScoped
class RemovedKeyGuard {

    /**
     * Far beyond what counting the largest databases takes (each statement is bounded by the
     * maintenance statement timeout); a network that froze under the check fails the boot here
     * instead of holding it until TCP keepalive gives up on the connection.
     */
    private static final Duration BOOT_CHECK_TIMEOUT = Duration.ofMinutes(30);

    private final KeyRing keyRing;
    private final KeyedRows rows;
    private final LegacyKeyStore legacyKeys;
    private final Clock clock;

    RemovedKeyGuard(KeyRing keyRing, KeyedRows rows, LegacyKeyStore legacyKeys, Clock clock) {
        this.keyRing = keyRing;
        this.rows = rows;
        this.legacyKeys = legacyKeys;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        check(keyRing).await().atMost(BOOT_CHECK_TIMEOUT);
    }

    /** Fails with an {@link IllegalStateException} naming the keys missing from {@code ring} that rows still need. */
    Uni<Void> check(KeyRing ring) {
        Instant now = clock.instant();
        return rows.usableByKey(rows.all(), now)
                .flatMap(counts -> legacyKeys(ring, counts, now)
                        .invoke(legacy -> refuseMissingKeys(ring.keyIds(), counts, legacy)))
                .replaceWithVoid();
    }

    private static void refuseMissingKeys(
            Set<String> ring, Map<String, Map<Optional<String>, Long>> counts, Set<String> legacy) {
        // Missing key id -> kind -> rows that need it; "possibly" for rows without a key id.
        Map<String, Map<String, Long>> needed = new TreeMap<>();
        Map<String, Map<String, Long>> possibly = new TreeMap<>();
        counts.forEach((kind, byKey) -> byKey.forEach((keyId, count) -> {
            if (keyId.isPresent() && !ring.contains(keyId.get())) {
                needed.computeIfAbsent(keyId.get(), id -> new LinkedHashMap<>()).put(kind, count);
            } else if (keyId.isEmpty()) {
                legacy.stream()
                        .filter(id -> !ring.contains(id))
                        .forEach(id -> possibly.computeIfAbsent(id, ignored -> new LinkedHashMap<>())
                                .put(kind, count));
            }
        }));
        if (!needed.isEmpty() || !possibly.isEmpty()) {
            throw new IllegalStateException(message(needed, possibly));
        }
    }

    /** Records the ring as possible keys of rows without a key id, if there are such rows; the keys recorded so far. */
    private Uni<Set<String>> legacyKeys(KeyRing ring, Map<String, Map<Optional<String>, Long>> counts, Instant now) {
        boolean unrecorded = counts.values().stream().anyMatch(byKey -> byKey.containsKey(Optional.empty()));
        if (!unrecorded) {
            return Uni.createFrom().item(Set.of());
        }
        return legacyKeys.recordAndList(ring.keyIds(), now).flatMap(legacy -> {
            if (legacy.equals(Set.of(ring.activeKeyId()))) {
                return rows.assignUnrecorded(ring.activeKeyId()).replaceWith(Set.<String>of());
            }
            return Uni.createFrom().item(legacy);
        });
    }

    private static String message(Map<String, Map<String, Long>> needed, Map<String, Map<String, Long>> possibly) {
        Set<String> keys = new TreeSet<>(needed.keySet());
        keys.addAll(possibly.keySet());
        List<String> findings = new ArrayList<>();
        for (String keyId : keys) {
            List<String> parts = new ArrayList<>();
            Optional.ofNullable(needed.get(keyId)).ifPresent(byKind -> parts.add(describe(byKind)));
            Optional.ofNullable(possibly.get(keyId))
                    .ifPresent(byKind -> parts.add(
                            describe(byKind) + " stored before key ids were recorded (possibly keyed under it)"));
            findings.add("key '" + keyId + "' is no longer in TWOFOLD_ENCRYPTION_KEYS but still needed by "
                    + String.join(", and ", parts));
        }
        return "Refusing to start: " + String.join("; ", findings) + ". Without the key these would stop working"
                + " silently. Put the key back into TWOFOLD_ENCRYPTION_KEYS (keep TWOFOLD_ENCRYPTION_ACTIVE_KEY), then"
                + " call POST /v1/admin/encryption/rotation until remaining and every staleLookups count are 0"
                + " (add ?retireStaleLookups=true to retire lookup rows that cannot wait for their next use), and"
                + " remove the key only then; see deploy/README.md, Key rotation.";
    }

    private static String describe(Map<String, Long> byKind) {
        List<String> parts = new ArrayList<>();
        byKind.forEach((label, count) -> parts.add(count + " " + label));
        return String.join(", ", parts);
    }
}
