package dev.twofold.rotation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** A {@link LookupTable} whose owner writes the SQL of its table; it only adds how it retires rows. */
public abstract class LookupKeyStore extends KeyCountStore implements LookupTable {

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

    @Override
    public Uni<Void> assignUnrecorded(String activeKeyId) {
        return executeWithKey("update " + table + " set lookup_key_id = $1 where lookup_key_id is null", activeKeyId);
    }
}
