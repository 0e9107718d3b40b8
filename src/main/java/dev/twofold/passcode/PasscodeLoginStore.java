package dev.twofold.passcode;

import dev.twofold.account.AccountId;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The mail-login side of {@code app_passcode}, as single statements on the raw reactive pool: this
 * path runs on every mail login, and Hibernate Reactive ran the same update several times slower than
 * the raw pool in the benchmark. It reads passcodes by lookup hash and writes only the last-use
 * columns, the seen-IP table and fresh hashes.
 */
@ApplicationScoped
public class PasscodeLoginStore {

    private static final String FIND_BY_LOOKUP_HASH = """
            select id, account_id, name, passcode_hash, lookup_key_id, protocols, allowed_ips,
                   created_at, expires_at, revoked_at, revoked_reason, last_used_at
              from app_passcode
             where lookup_hash = any($1)""";

    /** One round trip: last use on the passcode, and its IP in the seen-IP table (reporting a first sighting). */
    private static final String RECORD_USE_FROM_IP = """
            with used as (
                update app_passcode set last_used_at = $2, last_used_ip = $3, last_used_protocol = $4
                 where id = $1 and revoked_at is null
             returning id)
            insert into app_passcode_ip (passcode_id, ip, first_seen_at, last_seen_at)
            select id, $3, $2, $2 from used
                on conflict (passcode_id, ip) do update set last_seen_at = excluded.last_seen_at
            returning (xmax = 0) as first_seen""";

    private static final String RECORD_USE = """
            update app_passcode set last_used_at = $2, last_used_ip = null, last_used_protocol = $3
             where id = $1 and revoked_at is null""";

    private static final String REHASH = """
            update app_passcode set passcode_hash = $2, lookup_hash = $3, lookup_key_id = $4
             where id = $1 and revoked_at is null""";

    /** The account's usable passcodes still in a legacy scheme, oldest first (see {@link #findLegacy}). */
    private static final String FIND_LEGACY = """
            select id, legacy_scheme, passcode_hash from app_passcode
             where account_id = $1 and legacy_scheme is not null and revoked_at is null
             order by created_at, id
             limit $2""";

    private static final String CONVERT_LEGACY = """
            update app_passcode set passcode_hash = $2, lookup_hash = $3, lookup_key_id = $4, legacy_scheme = null
             where id = $1 and legacy_scheme is not null and revoked_at is null""";

    private final Pool pool;

    PasscodeLoginStore(Pool pool) {
        this.pool = pool;
    }

    /** The passcode stored under any of the lookup hashes (revoked ones included), if one is. */
    public Uni<Optional<StoredPasscode>> findByLookupHash(List<byte[]> candidates) {
        Buffer[] hashes = candidates.stream().map(Buffer::buffer).toArray(Buffer[]::new);
        return pool.preparedQuery(FIND_BY_LOOKUP_HASH)
                .execute(Tuple.of((Object) hashes))
                .map(rows -> {
                    RowIterator<Row> iterator = rows.iterator();
                    return iterator.hasNext() ? Optional.of(toPasscode(iterator.next())) : Optional.empty();
                });
    }

    /**
     * Records a successful login (protocol and client IP as far as known). With a client IP, says
     * whether that IP is new for this passcode (true also for the very first use); false when the
     * passcode was revoked meanwhile.
     */
    public Uni<Boolean> recordUse(
            UUID passcodeId, Instant at, Optional<String> clientIp, Optional<MailProtocol> protocol) {
        String slug = protocol.map(MailProtocol::slug).orElse(null);
        OffsetDateTime usedAt = at.atOffset(ZoneOffset.UTC);
        if (clientIp.isEmpty()) {
            return pool.preparedQuery(RECORD_USE)
                    .execute(Tuple.of(passcodeId, usedAt, slug))
                    .replaceWith(false);
        }
        return pool.preparedQuery(RECORD_USE_FROM_IP)
                .execute(Tuple.of(passcodeId, usedAt, clientIp.get(), slug))
                .map(rows -> {
                    RowIterator<Row> iterator = rows.iterator();
                    return iterator.hasNext() && iterator.next().getBoolean(0);
                });
    }

    /**
     * Stores a fresh Argon2 hash and the lookup hash under the active key {@code lookupKeyId} (after a
     * parameter or key change).
     */
    public Uni<Void> rehash(UUID passcodeId, String passcodeHash, byte[] lookupHash, String lookupKeyId) {
        return pool.preparedQuery(REHASH)
                .execute(Tuple.of(passcodeId, passcodeHash, Buffer.buffer(lookupHash), lookupKeyId))
                .replaceWithVoid();
    }

    private static StoredPasscode toPasscode(Row row) {
        return new StoredPasscode(
                row.getUUID("id"),
                new AccountId(row.getString("account_id")),
                row.getString("name"),
                row.getString("passcode_hash"),
                Optional.ofNullable(row.getString("lookup_key_id")),
                PasscodeScope.fromColumns(row.getString("protocols"), row.getString("allowed_ips")),
                instant(row, "created_at").orElseThrow(),
                instant(row, "expires_at"),
                instant(row, "revoked_at"),
                Optional.ofNullable(row.getString("revoked_reason")),
                instant(row, "last_used_at"));
    }

    private static Optional<Instant> instant(Row row, String column) {
        return Optional.ofNullable(row.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
    }

    /** An imported passcode still stored as an earlier system's hash in Dovecot scheme {@code scheme}. */
    public record LegacyPasscode(UUID id, String scheme, String hash) {

        @Override
        public String toString() {
            return "LegacyPasscode[" + id + ", " + scheme + "]";
        }
    }

    /** At most {@code limit} of the account's usable legacy passcodes, oldest first. */
    public Uni<List<LegacyPasscode>> findLegacy(AccountId account, int limit) {
        return pool.preparedQuery(FIND_LEGACY)
                .execute(Tuple.of(account.value(), limit))
                .map(rows -> {
                    List<LegacyPasscode> found = new java.util.ArrayList<>();
                    rows.forEach(row -> found.add(new LegacyPasscode(
                            row.getUUID("id"), row.getString("legacy_scheme"), row.getString("passcode_hash"))));
                    return found;
                });
    }

    /**
     * Replaces a legacy passcode's hash by an Argon2id one with a lookup hash under the active key, so
     * it is found like any other from now on; false if it was converted or revoked meanwhile.
     */
    public Uni<Boolean> convertLegacy(UUID passcodeId, String passcodeHash, byte[] lookupHash, String lookupKeyId) {
        return pool.preparedQuery(CONVERT_LEGACY)
                .execute(Tuple.of(passcodeId, passcodeHash, Buffer.buffer(lookupHash), lookupKeyId))
                .map(rows -> rows.rowCount() == 1);
    }
}
