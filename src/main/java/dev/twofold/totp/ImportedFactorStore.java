package dev.twofold.totp;

import dev.twofold.crypto.SealedSecret;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Active TOTP factors brought over from an earlier system, many per statement: an import writes
 * thousands of accounts, and one insert per account would make it round-trip bound.
 */
@ApplicationScoped
public class ImportedFactorStore {

    /** A factor to store: the seed sealed for its account, and the highest time step already used. */
    public record Factor(
            String accountId,
            SealedSecret seed,
            HashAlgorithm algorithm,
            int digits,
            int periodSeconds,
            long lastStep) {

        @Override
        public String toString() {
            return "Factor[" + accountId + "]";
        }
    }

    private static final String EXISTING = "select account_id from totp_factor where account_id = any($1)";

    private static final String INSERT_ABSENT = """
            insert into totp_factor (account_id, seed_ciphertext, seed_key_id, algorithm, digits, period_seconds,
                                     enabled_at, last_step)
            select f.account_id, f.ciphertext, f.key_id, f.algorithm, f.digits, f.period, $7, f.last_step
              from unnest($1::varchar[], $2::bytea[], $3::varchar[], $4::varchar[], $5::smallint[], $6::int[],
                          $8::bigint[]) as f(account_id, ciphertext, key_id, algorithm, digits, period, last_step)
            on conflict (account_id) do nothing
            returning account_id""";

    private final Pool pool;

    ImportedFactorStore(Pool pool) {
        this.pool = pool;
    }

    /** Which of the accounts have a factor already. */
    public Uni<Set<String>> existing(List<String> accountIds) {
        return pool.preparedQuery(EXISTING)
                .execute(Tuple.of((Object) accountIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> found = new HashSet<>();
                    rows.forEach(row -> found.add(row.getString(0)));
                    return found;
                });
    }

    /**
     * Stores each factor unless its account has one (by then), on {@code client} (the import's
     * transaction); the accounts whose factor was stored.
     */
    public Uni<Set<String>> insertAbsent(SqlClient client, List<Factor> factors, Instant enabledAt) {
        if (factors.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        Tuple columns = Tuple.tuple()
                .addArrayOfString(factors.stream().map(Factor::accountId).toArray(String[]::new))
                .addValue(factors.stream()
                        .map(factor -> Buffer.buffer(factor.seed().ciphertext()))
                        .toArray(Buffer[]::new))
                .addArrayOfString(factors.stream().map(f -> f.seed().keyId()).toArray(String[]::new))
                .addArrayOfString(
                        factors.stream().map(f -> f.algorithm().name()).toArray(String[]::new))
                .addArrayOfShort(factors.stream().map(f -> (short) f.digits()).toArray(Short[]::new))
                .addArrayOfInteger(factors.stream().map(Factor::periodSeconds).toArray(Integer[]::new))
                .addOffsetDateTime(enabledAt.atOffset(ZoneOffset.UTC))
                .addArrayOfLong(factors.stream().map(Factor::lastStep).toArray(Long[]::new));
        return client.preparedQuery(INSERT_ABSENT).execute(columns).map(rows -> {
            Set<String> stored = new HashSet<>();
            rows.forEach(row -> stored.add(row.getString(0)));
            return stored;
        });
    }
}
