package dev.twofold.device;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.rotation.LookupKeyStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;

/** Trusted devices in a key rotation: unexpired ones count; retiring forgets them. */
@Singleton
class TrustedDeviceKeyStore extends LookupKeyStore {

    private final SecurityEventLog events;

    TrustedDeviceKeyStore(Pool pool, SecurityEventLog events) {
        super(
                pool,
                Lookup.TRUSTED_DEVICES,
                "trusted devices",
                "trusted_device",
                "select lookup_key_id, count(*)"
                        + " from trusted_device where revoked_at is null and expires_at > $1 group by lookup_key_id");
        this.events = events;
    }

    @Override
    public Uni<Long> retireNotKeyedUnder(String activeKeyId, Instant now, int limit) {
        return claim(
                        "select id, account_id, name from trusted_device where revoked_at is null and expires_at > :now"
                                + " and lookup_key_id is distinct from :active",
                        now,
                        activeKeyId,
                        limit)
                .flatMap(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0L);
                    }
                    return execute(
                                    "update trusted_device set revoked_at = :now where id in (:ids)",
                                    Map.of("now", now, "ids", ids(claimed)))
                            .chain(() -> Multi.createFrom()
                                    .iterable(claimed)
                                    .onItem()
                                    .transformToUniAndConcatenate(row -> events.record(
                                            new AccountId((String) row[1]),
                                            SecurityEventType.TRUSTED_DEVICE_REVOKED,
                                            EventOrigin.unknown(),
                                            detail("deviceId", row[0], "deviceName", row[2])))
                                    .collect()
                                    .last())
                            .replaceWith((long) claimed.size());
                });
    }
}
