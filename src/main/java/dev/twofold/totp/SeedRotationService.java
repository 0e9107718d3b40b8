package dev.twofold.totp;

import dev.twofold.crypto.KeyRing;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SealingException;
import dev.twofold.crypto.SecretSealer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Completes a key rotation: re-seals TOTP seeds (confirmed and pending) that are still sealed under
 * an older ring key with the active one, a batch per call. Rows are claimed with
 * {@code for update skip locked}, so replicas, concurrent calls and verifications never wait on or
 * redo each other's rows.
 */
@ApplicationScoped
public class SeedRotationService {

    /**
     * The outcome of one batch. {@code unreadable} counts seeds whose key is no longer in the ring:
     * rotation cannot recover them, their owners have to enroll again.
     */
    public record Progress(String activeKeyId, int reencrypted, long remaining, long unreadable) {}

    /** Rows per call (and per transaction). */
    public static final int BATCH_SIZE = 500;

    private static final Logger LOG = Logger.getLogger(SeedRotationService.class);

    /** The tables that hold sealed seeds; both key the seed by account id, which is also the AAD. */
    enum SeedTable {
        FACTOR("totp_factor"),
        ENROLLMENT("totp_enrollment");

        private final String claimStale;
        private final String reseal;
        private final String countStale;

        SeedTable(String table) {
            // Only rows whose key is still in the ring can be opened; the others are only counted.
            this.claimStale = "select account_id, seed_key_id, seed_ciphertext from " + table
                    + " where seed_key_id <> :active and seed_key_id in (:ring) and account_id > :after"
                    + " order by account_id limit :limit for update skip locked";
            this.reseal = "update " + table + " set seed_ciphertext = :ciphertext, seed_key_id = :keyId"
                    + " where account_id = :account and seed_key_id = :oldKeyId";
            this.countStale = "select count(*) filter (where seed_key_id in (:ring)),"
                    + " count(*) filter (where seed_key_id not in (:ring)) from " + table
                    + " where seed_key_id <> :active";
        }
    }

    private final KeyRing keyRing;
    private final SecretSealer sealer;

    SeedRotationService(KeyRing keyRing, SecretSealer sealer) {
        this.keyRing = keyRing;
        this.sealer = sealer;
    }

    /** Re-seals up to {@link #BATCH_SIZE} seeds in one transaction. */
    public Uni<Progress> rotateBatch() {
        return rotateBatch(BATCH_SIZE);
    }

    Uni<Progress> rotateBatch(int limit) {
        return Panache.withTransaction(() -> resealStale(SeedTable.FACTOR, "", limit)
                .flatMap(factors -> (factors < limit
                                ? resealStale(SeedTable.ENROLLMENT, "", limit - factors)
                                : Uni.createFrom().item(0))
                        .map(enrollments -> factors + enrollments))
                .flatMap(done -> countStale(SeedTable.FACTOR)
                        .flatMap(factors -> countStale(SeedTable.ENROLLMENT)
                                .map(enrollments -> new Progress(
                                        keyRing.activeKeyId(),
                                        done,
                                        factors.remaining() + enrollments.remaining(),
                                        factors.unreadable() + enrollments.unreadable())))));
    }

    /**
     * Replaces the stored seed of {@code accountId} with one sealed under the active key, unless it
     * already is (or was re-sealed meanwhile), in a transaction of its own (or the caller's). The
     * seed is sealed at once, so the caller may wipe it before subscribing.
     */
    Uni<Void> resealIfStale(SeedTable table, String accountId, SealedSecret stored, byte[] seed) {
        if (sealer.isSealedWithActiveKey(stored)) {
            return Uni.createFrom().voidItem();
        }
        SealedSecret fresh = sealer.seal(seed, accountId);
        return Panache.withTransaction(() -> write(table, accountId, stored.keyId(), fresh))
                .replaceWithVoid();
    }

    /**
     * Re-seals up to {@code budget} stale rows of {@code table} whose account id sorts after
     * {@code after}. Rows that fail to open do not use up the budget, so a few damaged rows at the
     * front of the table cannot stall the rotation.
     */
    private Uni<Integer> resealStale(SeedTable table, String after, int budget) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(table.claimStale, Object[].class)
                        .setParameter("active", keyRing.activeKeyId())
                        .setParameter("ring", ringKeyIds())
                        .setParameter("after", after)
                        .setParameter("limit", budget)
                        .getResultList())
                .flatMap(rows -> Multi.createFrom()
                        .iterable(rows)
                        // One session runs one statement at a time: re-seal the rows one after the other.
                        .onItem()
                        .transformToUniAndConcatenate(
                                row -> reseal(table, (String) row[0], (String) row[1], (byte[]) row[2]))
                        .collect()
                        .with(Collectors.summingInt(Integer::intValue))
                        .flatMap(resealed -> rows.size() < budget || resealed == budget
                                ? Uni.createFrom().item(resealed)
                                : resealStale(table, (String) rows.get(rows.size() - 1)[0], budget - resealed)
                                        .map(more -> resealed + more)));
    }

    private Uni<Integer> reseal(SeedTable table, String accountId, String keyId, byte[] ciphertext) {
        byte[] seed;
        try {
            seed = sealer.open(new SealedSecret(keyId, ciphertext), accountId);
        } catch (SealingException e) {
            // Altered data or a row copied between accounts: leave it for an operator, keep rotating.
            LOG.warnf(
                    "Cannot re-seal the %s row of %s: %s",
                    table.name().toLowerCase(Locale.ROOT), accountId, e.getMessage());
            return Uni.createFrom().item(0);
        }
        try {
            return write(table, accountId, keyId, sealer.seal(seed, accountId));
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static Uni<Integer> write(SeedTable table, String accountId, String oldKeyId, SealedSecret fresh) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(table.reseal)
                        .setParameter("ciphertext", fresh.ciphertext())
                        .setParameter("keyId", fresh.keyId())
                        .setParameter("account", accountId)
                        .setParameter("oldKeyId", oldKeyId)
                        .executeUpdate());
    }

    private record StaleCount(long remaining, long unreadable) {}

    private Uni<StaleCount> countStale(SeedTable table) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(table.countStale, Object[].class)
                        .setParameter("active", keyRing.activeKeyId())
                        .setParameter("ring", ringKeyIds())
                        .getSingleResult())
                .map(counts -> new StaleCount(((Number) counts[0]).longValue(), ((Number) counts[1]).longValue()));
    }

    private List<String> ringKeyIds() {
        return List.copyOf(keyRing.keyIds());
    }
}
