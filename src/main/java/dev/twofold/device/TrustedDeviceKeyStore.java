package dev.twofold.device;

import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.platform.Maintenance;
import dev.twofold.rotation.LookupKeyStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Instant;

/** Trusted devices in a key rotation: unexpired ones count; retiring forgets them. */
@Singleton
class TrustedDeviceKeyStore extends LookupKeyStore {

    private static final Revocation REVOCATION = new Revocation(
            "select id, account_id, name from trusted_device where revoked_at is null and expires_at > :now"
                    + " and lookup_key_id is distinct from :active",
            "update trusted_device set revoked_at = :now where id in (:ids)",
            SecurityEventType.TRUSTED_DEVICE_REVOKED,
            "deviceId",
            "deviceName");

    private final SecurityEventLog events;

    TrustedDeviceKeyStore(@Maintenance Pool pool, SecurityEventLog events) {
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
        return revoke(REVOCATION, events, activeKeyId, now, limit).map(accounts -> (long) accounts.size());
    }
}
