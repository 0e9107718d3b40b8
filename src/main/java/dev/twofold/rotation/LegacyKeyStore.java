package dev.twofold.rotation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;

/** {@code lookup_legacy_key}: every key that was in the ring while lookup rows without a key id existed. */
@ApplicationScoped
class LegacyKeyStore {

    private final Pool pool;

    LegacyKeyStore(Pool pool) {
        this.pool = pool;
    }

    /** Records {@code ring} (if not yet) and answers every key recorded so far, sorted. */
    Uni<Set<String>> recordAndList(Set<String> ring, Instant now) {
        return pool.preparedQuery("insert into lookup_legacy_key (key_id, recorded_at) select unnest($1::varchar[]), $2"
                        + " on conflict (key_id) do nothing")
                .execute(Tuple.of(ring.toArray(String[]::new), now.atOffset(ZoneOffset.UTC)))
                .flatMap(inserted ->
                        pool.query("select key_id from lookup_legacy_key").execute())
                .map(found -> {
                    Set<String> legacy = new TreeSet<>();
                    for (Row row : found) {
                        legacy.add(row.getString(0));
                    }
                    return legacy;
                });
    }
}
