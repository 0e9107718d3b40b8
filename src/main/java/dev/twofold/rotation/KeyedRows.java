package dev.twofold.rotation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Counts the rows that still need a ring key, by key id, on the raw reactive pool (it also runs at
 * boot, outside any request). Only usable rows count: a revoked passcode, a used recovery code or a
 * forgotten device needs no key any more.
 */
@ApplicationScoped
class KeyedRows {

    /** The kinds of rows that need a ring key: sealed seeds, and secrets found by a keyed lookup hash. */
    enum Kind {
        TOTP_SEED("TOTP seeds", "totp_factor", "seed_key_id", "true"),
        PENDING_SEED("pending enrollments", "totp_enrollment", "seed_key_id", "expires_at > $1"),
        APP_PASSCODE("app passcodes", "app_passcode", "lookup_key_id",
                "revoked_at is null and (expires_at is null or expires_at > $1)"),
        RECOVERY_CODE("recovery codes", "recovery_code", "lookup_key_id", "used_at is null"),
        TRUSTED_DEVICE("trusted devices", "trusted_device", "lookup_key_id", "revoked_at is null and expires_at > $1");

        static final Set<Kind> LOOKUPS = EnumSet.of(APP_PASSCODE, RECOVERY_CODE, TRUSTED_DEVICE);

        final String label;
        final String table;
        final String keyColumn;
        final String usable;

        Kind(String label, String table, String keyColumn, String usable) {
            this.label = label;
            this.table = table;
            this.keyColumn = keyColumn;
            this.usable = usable;
        }

        private boolean usesNow() {
            return usable.contains("$1");
        }
    }

    private final Pool pool;

    KeyedRows(Pool pool) {
        this.pool = pool;
    }

    /**
     * Per kind, usable rows by the id of the key they need (empty: a lookup row stored before key ids
     * were recorded).
     */
    Uni<Map<Kind, Map<Optional<String>, Long>>> usableByKey(Set<Kind> kinds, Instant now) {
        Map<Kind, Map<Optional<String>, Long>> counts = new EnumMap<>(Kind.class);
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Kind kind : kinds) {
            all = all.call(() -> count(kind, now).invoke(byKey -> counts.put(kind, byKey)));
        }
        return all.replaceWith(counts);
    }

    /** Gives the active key to lookup rows without a key id; only sound when no other key can have made them. */
    Uni<Void> assignUnrecorded(String activeKeyId) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Kind kind : Kind.LOOKUPS) {
            all = all.call(() -> pool.preparedQuery("update " + kind.table + " set lookup_key_id = $1"
                    + " where lookup_key_id is null").execute(Tuple.of(activeKeyId)));
        }
        return all;
    }

    private Uni<Map<Optional<String>, Long>> count(Kind kind, Instant now) {
        String sql = "select " + kind.keyColumn + ", count(*) from " + kind.table + " where " + kind.usable
                + " group by " + kind.keyColumn;
        Tuple parameters = kind.usesNow() ? Tuple.of(now.atOffset(ZoneOffset.UTC)) : Tuple.tuple();
        return pool.preparedQuery(sql).execute(parameters).map(rows -> {
            Map<Optional<String>, Long> byKey = new HashMap<>();
            for (Row row : rows) {
                byKey.put(Optional.ofNullable(row.getString(0)), row.getLong(1));
            }
            return byKey;
        });
    }
}
