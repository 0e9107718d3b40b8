package dev.twofold.passcode;

import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.changes.CredentialChangeNotifier;
import dev.twofold.platform.Maintenance;
import dev.twofold.rotation.LookupKeyStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashSet;

/** App passcodes in a key rotation: usable ones count; retiring revokes them on every replica. */
@Singleton
class PasscodeKeyStore extends LookupKeyStore {

    // Imported passcodes still in a legacy scheme have no lookup hash, so they need no ring key.
    private static final String USABLE =
            "revoked_at is null and lookup_hash is not null and (expires_at is null or expires_at > $1)";

    private static final Revocation REVOCATION = new Revocation(
            "select id, account_id, name from app_passcode where revoked_at is null and lookup_hash is not null"
                    + " and (expires_at is null or expires_at > :now) and lookup_key_id is distinct from :active",
            "update app_passcode set revoked_at = :now, revoked_reason = '" + RETIRED_REASON + "' where id in (:ids)",
            SecurityEventType.PASSCODE_REVOKED,
            "passcodeId",
            "passcodeName");

    private final SecurityEventLog events;
    private final CredentialChangeNotifier changes;

    PasscodeKeyStore(@Maintenance Pool pool, SecurityEventLog events, CredentialChangeNotifier changes) {
        super(
                pool,
                Lookup.APP_PASSCODES,
                "app passcodes",
                "app_passcode",
                "select lookup_key_id, count(*) from app_passcode where " + USABLE + " group by lookup_key_id");
        this.events = events;
        this.changes = changes;
    }

    /** Revokes the passcodes; every replica drops them from its login cache before the request returns. */
    @Override
    public Uni<Long> retireNotKeyedUnder(String activeKeyId, Instant now, int limit) {
        return revoke(REVOCATION, events, activeKeyId, now, limit)
                .call(accounts -> Multi.createFrom()
                        .iterable(new LinkedHashSet<>(accounts))
                        .onItem()
                        .transformToUniAndConcatenate(changes::passcodesChanged)
                        .collect()
                        .last())
                .map(accounts -> (long) accounts.size());
    }
}
