package dev.twofold.rotation;

import io.smallrye.mutiny.Uni;
import java.time.Instant;

/**
 * A table whose rows are found by a keyed lookup hash. Such a hash cannot be recomputed without its
 * secret: the owner re-keys a row on its next successful use, and retires it here when the operator
 * cannot wait for that.
 */
public interface LookupTable extends KeyedTable {

    /** The kinds of lookup rows, as the admin API counts them. */
    enum Lookup {
        APP_PASSCODES,
        RECOVERY_CODES,
        TRUSTED_DEVICES
    }

    Lookup lookup();

    /** Gives {@code activeKeyId} to rows without a key id; only sound when no other key can have made them. */
    Uni<Void> assignUnrecorded(String activeKeyId);

    /**
     * Retires up to {@code limit} usable rows not keyed under {@code activeKeyId} (as the owner retires
     * its rows, events included), skipping rows a concurrent transaction holds; joins the caller's
     * transaction. How many it retired.
     */
    Uni<Long> retireNotKeyedUnder(String activeKeyId, Instant now, int limit);
}
