package dev.twofold.recovery;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Unused recovery codes brought over from an earlier system, many per statement. */
@ApplicationScoped
public class ImportedCodeStore {

    /** A code to store, already hashed: its Argon2id hash and its lookup hash under {@code lookupKeyId}. */
    public record Code(String accountId, byte[] lookupHash, String lookupKeyId, String codeHash) {

        @Override
        public String toString() {
            return "Code[" + accountId + "]";
        }
    }

    // A code the account holds already (same lookup hash) is not stored twice.
    private static final String INSERT = """
            insert into recovery_code (account_id, lookup_hash, lookup_key_id, code_hash, generated_at)
            select c.account_id, c.lookup_hash, c.lookup_key_id, c.code_hash, $5
              from unnest($1::varchar[], $2::bytea[], $3::varchar[], $4::varchar[])
                   as c(account_id, lookup_hash, lookup_key_id, code_hash)
            on conflict (account_id, lookup_hash) do nothing""";

    /** Stores the codes on {@code client} (the import's transaction). */
    public Uni<Void> insert(SqlClient client, List<Code> codes, Instant generatedAt) {
        if (codes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple columns = Tuple.tuple()
                .addArrayOfString(codes.stream().map(Code::accountId).toArray(String[]::new))
                .addValue(codes.stream()
                        .map(code -> Buffer.buffer(code.lookupHash()))
                        .toArray(Buffer[]::new))
                .addArrayOfString(codes.stream().map(Code::lookupKeyId).toArray(String[]::new))
                .addArrayOfString(codes.stream().map(Code::codeHash).toArray(String[]::new))
                .addOffsetDateTime(generatedAt.atOffset(ZoneOffset.UTC));
        return client.preparedQuery(INSERT).execute(columns).replaceWithVoid();
    }
}
