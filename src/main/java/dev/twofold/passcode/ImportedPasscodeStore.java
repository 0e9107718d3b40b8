package dev.twofold.passcode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * App passcodes brought over from an earlier system, many per statement: either hashed here
 * (Argon2id and a lookup hash) or kept as the earlier system's hash in a legacy scheme until their
 * first use (see {@code V80__imported_legacy_passcodes.sql}).
 */
@ApplicationScoped
public class ImportedPasscodeStore {

    /**
     * A passcode to store: with a lookup hash (and an Argon2id {@code hash}), or with none and the
     * earlier system's {@code hash} in {@code legacyScheme}.
     */
    public record Passcode(
            String accountId,
            String name,
            Optional<byte[]> lookupHash,
            String lookupKeyId,
            String hash,
            Optional<String> legacyScheme,
            PasscodeScope scope,
            Instant createdAt) {

        @Override
        public String toString() {
            return "Passcode[" + accountId + ", " + name + "]";
        }
    }

    private static final String ACTIVE_NAMES = """
            select account_id, lower(name) from app_passcode where account_id = any($1) and revoked_at is null""";

    // An active passcode of the account with the same name wins (an import that ran before).
    private static final String INSERT_NEW = """
            insert into app_passcode (id, account_id, name, lookup_hash, lookup_key_id, passcode_hash, legacy_scheme,
                                      protocols, created_at)
            select p.id, p.account_id, p.name, p.lookup_hash, p.lookup_key_id, p.passcode_hash, p.legacy_scheme,
                   p.protocols, p.created_at
              from unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::bytea[], $5::varchar[], $6::varchar[],
                          $7::varchar[], $8::varchar[], $9::timestamptz[])
                   as p(id, account_id, name, lookup_hash, lookup_key_id, passcode_hash, legacy_scheme, protocols,
                        created_at)
            on conflict (account_id, lower(name)) where revoked_at is null do nothing
            returning account_id""";

    private final Pool pool;

    ImportedPasscodeStore(Pool pool) {
        this.pool = pool;
    }

    /** The names (lower-cased) of the accounts' active passcodes, by account. */
    public Uni<Map<String, Set<String>>> activeNames(List<String> accountIds) {
        return pool.preparedQuery(ACTIVE_NAMES)
                .execute(Tuple.of((Object) accountIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Set<String>> names = new HashMap<>();
                    rows.forEach(row -> names.computeIfAbsent(row.getString(0), account -> new HashSet<>())
                            .add(row.getString(1)));
                    return names;
                });
    }

    /** The lower-cased form names are compared in, as the unique index on active names does. */
    public static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Stores the passcodes whose name is free, on {@code client}; how many were stored per account. */
    public Uni<Map<String, Integer>> insertNew(SqlClient client, List<Passcode> passcodes) {
        if (passcodes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Tuple columns = Tuple.tuple()
                .addArrayOfUUID(passcodes.stream().map(p -> UUID.randomUUID()).toArray(UUID[]::new))
                .addArrayOfString(passcodes.stream().map(Passcode::accountId).toArray(String[]::new))
                .addArrayOfString(passcodes.stream().map(Passcode::name).toArray(String[]::new))
                .addValue(passcodes.stream()
                        .map(p -> p.lookupHash().map(Buffer::buffer).orElse(null))
                        .toArray(Buffer[]::new))
                .addArrayOfString(passcodes.stream()
                        .map(p -> p.lookupHash().isPresent() ? p.lookupKeyId() : null)
                        .toArray(String[]::new))
                .addArrayOfString(passcodes.stream().map(Passcode::hash).toArray(String[]::new))
                .addArrayOfString(passcodes.stream()
                        .map(p -> p.legacyScheme().orElse(null))
                        .toArray(String[]::new))
                .addArrayOfString(
                        passcodes.stream().map(p -> p.scope().protocolsColumn()).toArray(String[]::new))
                .addArrayOfOffsetDateTime(passcodes.stream()
                        .map(p -> p.createdAt().atOffset(ZoneOffset.UTC))
                        .toArray(java.time.OffsetDateTime[]::new));
        return client.preparedQuery(INSERT_NEW).execute(columns).map(rows -> {
            Map<String, Integer> stored = new HashMap<>();
            rows.forEach(row -> stored.merge(row.getString(0), 1, Integer::sum));
            return stored;
        });
    }
}
