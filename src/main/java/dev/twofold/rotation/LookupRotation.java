package dev.twofold.rotation;

import dev.twofold.crypto.LookupHasher;
import dev.twofold.rotation.LookupTable.Lookup;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The lookup-hash side of a key rotation. A lookup hash cannot be recomputed without its secret, so
 * rows are re-keyed by the features on their next successful use; this reports the usable rows not
 * re-keyed yet and, when the operator decides so, has their owners retire them (the users create new ones).
 */
@ApplicationScoped
public class LookupRotation {

    /** Usable rows per kind of lookup secret. */
    public record LookupCounts(long appPasscodes, long recoveryCodes, long trustedDevices) {

        public static final LookupCounts NONE = new LookupCounts(0, 0, 0);

        static LookupCounts of(Map<Lookup, Long> counts) {
            return new LookupCounts(
                    counts.getOrDefault(Lookup.APP_PASSCODES, 0L),
                    counts.getOrDefault(Lookup.RECOVERY_CODES, 0L),
                    counts.getOrDefault(Lookup.TRUSTED_DEVICES, 0L));
        }
    }

    /** Rows per table per call (and per transaction). */
    static final int BATCH_SIZE = 500;

    private static final Logger LOG = Logger.getLogger(LookupRotation.class);

    private final KeyedRows rows;
    private final LookupHasher lookup;
    private final Clock clock;

    LookupRotation(KeyedRows rows, LookupHasher lookup, Clock clock) {
        this.rows = rows;
        this.lookup = lookup;
        this.clock = clock;
    }

    /** Usable rows whose lookup hash is keyed under another key than the active one, or under an unrecorded one. */
    public Uni<LookupCounts> stale() {
        Optional<String> active = Optional.of(lookup.activeKeyId());
        return rows.usableByKey(rows.lookups(), clock.instant()).map(counts -> {
            Map<Lookup, Long> stale = new EnumMap<>(Lookup.class);
            for (LookupTable table : rows.lookups()) {
                stale.put(
                        table.lookup(),
                        counts.get(table.label()).entrySet().stream()
                                .filter(e -> !e.getKey().equals(active))
                                .mapToLong(Map.Entry::getValue)
                                .sum());
            }
            return LookupCounts.of(stale);
        });
    }

    /**
     * Retires up to {@link #BATCH_SIZE} stale rows per kind in one transaction: revokes app passcodes
     * (every replica drops them from its login cache before this returns), deletes unused recovery
     * codes, forgets trusted devices. Rows locked by a concurrent call or login are left for the next call.
     */
    public Uni<LookupCounts> retireBatch() {
        // PostgreSQL keeps microseconds; rows compare against what is written.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String active = lookup.activeKeyId();
        Map<Lookup, Long> retired = new EnumMap<>(Lookup.class);
        return Panache.withTransaction(() -> {
                    Uni<Void> each = Uni.createFrom().voidItem();
                    for (LookupTable table : rows.lookups()) {
                        each = each.call(() -> table.retireNotKeyedUnder(active, now, BATCH_SIZE)
                                .invoke(count -> retired.put(table.lookup(), count)));
                    }
                    return each;
                })
                .map(done -> LookupCounts.of(retired))
                .invoke(counts ->
                        LOG.infof("Key rotation retired lookup rows not keyed under '%s': %s", active, counts));
    }
}
