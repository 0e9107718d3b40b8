package dev.twofold.rotation;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.changes.CredentialChangeNotifier;
import dev.twofold.rotation.KeyedRows.Kind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The lookup-hash side of a key rotation. A lookup hash cannot be recomputed without its secret, so
 * rows are re-keyed by the features on their next successful use; this reports the usable rows not
 * re-keyed yet and, when the operator decides so, retires them (their owners create new ones).
 */
@ApplicationScoped
public class LookupRotation {

    /** Usable rows per kind of lookup secret. */
    public record LookupCounts(long appPasscodes, long recoveryCodes, long trustedDevices) {

        public static final LookupCounts NONE = new LookupCounts(0, 0, 0);
    }

    /** Rows per table per call (and per transaction). */
    static final int BATCH_SIZE = 500;

    /** The {@code revoked_reason} of passcodes and the event reason of devices retired here. */
    static final String REASON = "key-rotation";

    private static final Logger LOG = Logger.getLogger(LookupRotation.class);
    private static final String NOT_ACTIVE_KEY = " and lookup_key_id is distinct from :active";

    private final KeyedRows rows;
    private final LookupHasher lookup;
    private final SecurityEventLog events;
    private final CredentialChangeNotifier changes;
    private final Clock clock;

    LookupRotation(KeyedRows rows, LookupHasher lookup, SecurityEventLog events, CredentialChangeNotifier changes,
            Clock clock) {
        this.rows = rows;
        this.lookup = lookup;
        this.events = events;
        this.changes = changes;
        this.clock = clock;
    }

    /** Usable rows whose lookup hash is keyed under another key than the active one, or under an unrecorded one. */
    public Uni<LookupCounts> stale() {
        return rows.usableByKey(Kind.LOOKUPS, clock.instant()).map(counts -> new LookupCounts(
                stale(counts.get(Kind.APP_PASSCODE)),
                stale(counts.get(Kind.RECOVERY_CODE)),
                stale(counts.get(Kind.TRUSTED_DEVICE))));
    }

    /**
     * Retires up to {@link #BATCH_SIZE} stale rows per kind in one transaction: revokes app passcodes
     * (every replica drops them from its login cache before this returns), forgets trusted devices,
     * deletes unused recovery codes. Rows locked by a concurrent call or login are left for the next call.
     */
    public Uni<LookupCounts> retireBatch() {
        // PostgreSQL keeps microseconds; rows compare against what is written.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String active = lookup.activeKeyId();
        return Panache.withTransaction(() -> revokePasscodes(now, active)
                .flatMap(passcodes -> forgetDevices(now, active)
                        .flatMap(devices -> deleteRecoveryCodes(active)
                                .map(codes -> new LookupCounts(passcodes, codes, devices)))))
                .invoke(retired -> LOG.infof("Key rotation retired lookup rows not keyed under '%s': %s", active, retired));
    }

    private Uni<Long> revokePasscodes(Instant now, String active) {
        return claim("select id, account_id, name from app_passcode where revoked_at is null"
                + " and (expires_at is null or expires_at > :now)" + NOT_ACTIVE_KEY, now, active)
                .flatMap(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0L);
                    }
                    Set<AccountId> accounts = new LinkedHashSet<>();
                    return execute("update app_passcode set revoked_at = :now, revoked_reason = :reason where id in (:ids)",
                                    Map.of("now", now, "reason", REASON, "ids", ids(claimed)))
                            .chain(() -> Multi.createFrom().iterable(claimed)
                                    .onItem().transformToUniAndConcatenate(row -> {
                                        AccountId account = new AccountId((String) row[1]);
                                        accounts.add(account);
                                        return events.record(account, SecurityEventType.PASSCODE_REVOKED,
                                                EventOrigin.unknown(), detail("passcodeId", row[0], "passcodeName", row[2]));
                                    })
                                    .collect().last())
                            .chain(() -> Multi.createFrom().iterable(accounts)
                                    .onItem().transformToUniAndConcatenate(changes::passcodesChanged)
                                    .collect().last())
                            .replaceWith((long) claimed.size());
                });
    }

    private Uni<Long> forgetDevices(Instant now, String active) {
        return claim("select id, account_id, name from trusted_device where revoked_at is null and expires_at > :now"
                + NOT_ACTIVE_KEY, now, active)
                .flatMap(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0L);
                    }
                    return execute("update trusted_device set revoked_at = :now where id in (:ids)",
                                    Map.of("now", now, "ids", ids(claimed)))
                            .chain(() -> Multi.createFrom().iterable(claimed)
                                    .onItem().transformToUniAndConcatenate(row -> events.record(
                                            new AccountId((String) row[1]), SecurityEventType.TRUSTED_DEVICE_REVOKED,
                                            EventOrigin.unknown(), detail("deviceId", row[0], "deviceName", row[2])))
                                    .collect().last())
                            .replaceWith((long) claimed.size());
                });
    }

    private Uni<Long> deleteRecoveryCodes(String active) {
        return execute("delete from recovery_code where id in (select id from recovery_code where used_at is null"
                        + NOT_ACTIVE_KEY + " order by id limit :limit for update skip locked)",
                Map.of("active", active, "limit", BATCH_SIZE)).map(Integer::longValue);
    }

    /** Locks up to a batch of rows ({@code id, account_id, name}); rows another transaction holds are skipped. */
    private static Uni<List<Object[]>> claim(String select, Instant now, String active) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery(select + " order by id limit :limit for update skip locked", Object[].class)
                .setParameter("now", now)
                .setParameter("active", active)
                .setParameter("limit", BATCH_SIZE)
                .getResultList());
    }

    private static Uni<Integer> execute(String statement, Map<String, Object> parameters) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(statement);
            parameters.forEach(query::setParameter);
            return query.executeUpdate();
        });
    }

    private static List<UUID> ids(List<Object[]> claimed) {
        return claimed.stream().map(row -> (UUID) row[0]).toList();
    }

    private static Map<String, String> detail(String idKey, Object id, String nameKey, Object name) {
        Map<String, String> detail = new HashMap<>();
        detail.put(idKey, id.toString());
        if (name != null) {
            detail.put(nameKey, name.toString());
        }
        detail.put("reason", REASON);
        return detail;
    }

    private long stale(Map<Optional<String>, Long> byKey) {
        Optional<String> active = Optional.of(lookup.activeKeyId());
        return byKey.entrySet().stream().filter(e -> !e.getKey().equals(active)).mapToLong(Map.Entry::getValue).sum();
    }
}
