package dev.twofold.recovery;

import dev.twofold.platform.Maintenance;
import dev.twofold.rotation.LookupKeyStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;

/** Recovery codes in a key rotation: unused ones count; retiring deletes them (the owner gets a new set). */
@Singleton
class RecoveryCodeKeyStore extends LookupKeyStore {

    RecoveryCodeKeyStore(@Maintenance Pool pool) {
        super(
                pool,
                Lookup.RECOVERY_CODES,
                "recovery codes",
                "recovery_code",
                "select lookup_key_id, count(*) from recovery_code where used_at is null group by lookup_key_id");
    }

    @Override
    public Uni<Long> retireNotKeyedUnder(String activeKeyId, Instant now, int limit) {
        return execute(
                        "delete from recovery_code where id in (select id from recovery_code where used_at is null"
                                + " and lookup_key_id is distinct from :active order by id limit :limit for update skip locked)",
                        Map.of("active", activeKeyId, "limit", limit))
                .map(Integer::longValue);
    }
}
