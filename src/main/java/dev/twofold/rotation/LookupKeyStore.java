package dev.twofold.rotation;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A {@link LookupTable} whose owner writes the SQL of its table; it only adds how it retires rows. */
public abstract class LookupKeyStore extends KeyCountStore implements LookupTable {

    /**
     * How an owner retires rows that are revoked, not deleted, each with an event for its account.
     *
     * @param claim selects the usable rows ({@code id, account_id, name}) not keyed under {@code :active}
     *     (usable at {@code :now})
     * @param revoke marks the rows {@code :ids} revoked at {@code :now}
     * @param event recorded for each row, with its id and name under {@code idDetail} and {@code nameDetail}
     */
    public record Revocation(
            String claim, String revoke, SecurityEventType event, String idDetail, String nameDetail) {}

    private static final int ASSIGN_BATCH = 10_000;

    private final Lookup lookup;
    private final String table;

    /** {@code table} holds the rows, keyed in its {@code lookup_key_id} column. */
    protected LookupKeyStore(Pool pool, Lookup lookup, String label, String table, String countByKey) {
        super(pool, label, countByKey);
        this.lookup = lookup;
        this.table = table;
    }

    @Override
    public Lookup lookup() {
        return lookup;
    }

    /**
     * In batches of {@value #ASSIGN_BATCH} rows, each its own transaction: one statement over a whole
     * table of an older release (millions of recovery codes) would hold every row's lock and its
     * undone work until the end, and a boot stopped midway would have to start over.
     */
    @Override
    public Uni<Void> assignUnrecorded(String activeKeyId) {
        String batch = "update " + table + " set lookup_key_id = $1 where ctid = any(array(select ctid from " + table
                + " where lookup_key_id is null limit " + ASSIGN_BATCH + "))";
        return executeWithKey(batch, activeKeyId)
                .repeat()
                .until(assigned -> assigned < ASSIGN_BATCH)
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * Revokes up to {@code limit} rows as {@code how} says, in the caller's transaction, recording
     * their events; the account of each revoked row, in claim order.
     */
    protected static Uni<List<AccountId>> revoke(
            Revocation how, SecurityEventLog events, String activeKeyId, Instant now, int limit) {
        return claim(how.claim(), now, activeKeyId, limit).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(List.of());
            }
            return execute(how.revoke(), Map.of("now", now, "ids", ids(claimed)))
                    .chain(() -> Multi.createFrom()
                            .iterable(claimed)
                            .onItem()
                            .transformToUniAndConcatenate(row -> {
                                AccountId account = new AccountId((String) row[1]);
                                return events.record(
                                                account,
                                                how.event(),
                                                EventOrigin.unknown(),
                                                detail(how.idDetail(), row[0], how.nameDetail(), row[2]))
                                        .replaceWith(account);
                            })
                            .collect()
                            .asList());
        });
    }
}
