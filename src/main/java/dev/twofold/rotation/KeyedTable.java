package dev.twofold.rotation;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Rows of one table that need a ring key to stay usable (a sealed seed, a keyed lookup hash).
 * Implemented by the package that owns the table, as a CDI bean; rotation only orchestrates.
 */
public interface KeyedTable {

    /** What the rows are, plural, for the operator ("TOTP seeds"). */
    String label();

    /**
     * Usable rows by the id of the key they need (empty: a lookup row stored before key ids were
     * recorded). Runs on the maintenance pool, outside any session (also at boot).
     */
    Uni<Map<Optional<String>, Long>> usableByKey(Instant now);
}
