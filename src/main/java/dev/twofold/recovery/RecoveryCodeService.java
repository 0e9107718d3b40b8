package dev.twofold.recovery;

import dev.twofold.account.AccountId;
import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.SecretGenerator;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * Recovery codes: one-time emergency codes, shown once, counted, regenerated. Only two hashes of a
 * code are stored: a keyed lookup hash that finds its row, and an Argon2id hash that proves it.
 * The methods that change codes join the caller's transaction; the two-factor service decides when.
 */
@ApplicationScoped
public class RecoveryCodeService {

    /** Codes per set. */
    public static final int SET_SIZE = 10;

    private static final Logger LOG = Logger.getLogger(RecoveryCodeService.class);

    /** A new set, in plain text for showing this once. */
    public record IssuedRecoveryCodes(List<String> codes, Instant generatedAt) {
    }

    private final RecoveryCodeRepository codes;
    private final SecretGenerator generator;
    private final LookupHasher lookup;
    private final Argon2Hasher argon2;
    private final Clock clock;

    RecoveryCodeService(RecoveryCodeRepository codes, SecretGenerator generator, LookupHasher lookup,
            Argon2Hasher argon2, Clock clock) {
        this.codes = codes;
        this.generator = generator;
        this.lookup = lookup;
        this.argon2 = argon2;
        this.clock = clock;
    }

    @WithSession
    public Uni<RecoveryCodeStatistics> statistics(AccountId account) {
        return codes.findByAccount(account.value()).map(RecoveryCodeStatistics::of);
    }

    /** Whether {@code typed} has the form of a recovery code (rather than of a TOTP code). */
    public boolean isRecoveryCode(String typed) {
        return SecretGenerator.normaliseRecoveryCode(typed).isPresent();
    }

    /**
     * Replaces the account's codes with a fresh set. The ten Argon2 hashes are computed before the
     * old set is touched and all at once, so the bounded pool runs them in parallel.
     */
    public Uni<IssuedRecoveryCodes> replace(AccountId account) {
        Instant now = clock.instant();
        List<String> issued = generator.recoveryCodes(SET_SIZE);
        List<Uni<RecoveryCode>> hashed = new ArrayList<>(issued.size());
        for (String code : issued) {
            String normalised = SecretGenerator.normaliseRecoveryCode(code).orElseThrow();
            hashed.add(argon2.hash(normalised).map(phc -> row(account, normalised, phc, now)));
        }
        return Uni.join().all(hashed).andFailFast()
                .call(rows -> codes.deleteByAccount(account.value()).call(() -> codes.persist(rows)))
                .map(rows -> new IssuedRecoveryCodes(issued, now));
    }

    /**
     * Uses up the code {@code typed} if it is an unused code of the account: the code's remaining
     * siblings, or empty if it is unknown, used or wrong. Costs at most one Argon2 evaluation, and
     * none for a code whose lookup hash matches no unused row.
     */
    public Uni<OptionalInt> redeem(AccountId account, String typed) {
        Optional<String> normalised = SecretGenerator.normaliseRecoveryCode(typed);
        if (normalised.isEmpty()) {
            return Uni.createFrom().item(OptionalInt.empty());
        }
        String code = normalised.get();
        List<byte[]> candidates = lookup.candidates(LookupHasher.Purpose.RECOVERY_CODE, code);
        return codes.findUnusedByLookup(account.value(), candidates).flatMap(row -> {
            if (row == null) {
                LOG.debugf("Recovery code refused for %s: not an unused code of the account", account);
                return Uni.createFrom().item(OptionalInt.empty());
            }
            // A used code is never checked again, so its hash is not renewed even when the cost changed.
            return argon2.verify(row.codeHash, code).flatMap(verification -> {
                if (!verification.matches()) {
                    LOG.warnf("Recovery code refused for %s: lookup hash matched row %d but Argon2 did not", account,
                            row.id);
                    return Uni.createFrom().item(OptionalInt.empty());
                }
                return codes.burn(row.id, clock.instant()).flatMap(burned -> {
                    if (!burned) {
                        LOG.infof("Recovery code refused for %s: row %d was used by a concurrent request", account,
                                row.id);
                        return Uni.createFrom().item(OptionalInt.empty());
                    }
                    return remaining(account).map(OptionalInt::of);
                });
            });
        });
    }

    /** Unused codes of the account. */
    public Uni<Integer> remaining(AccountId account) {
        return codes.countUnused(account.value()).map(Long::intValue);
    }

    /** Deletes every code of the account (two-factor authentication is being turned off). */
    public Uni<Void> deleteAll(AccountId account) {
        return codes.deleteByAccount(account.value()).replaceWithVoid();
    }

    private RecoveryCode row(AccountId account, String normalised, String phc, Instant now) {
        RecoveryCode row = new RecoveryCode();
        row.accountId = account.value();
        row.lookupHash = lookup.forStorage(LookupHasher.Purpose.RECOVERY_CODE, normalised);
        row.lookupKeyId = lookup.activeKeyId();
        row.codeHash = phc;
        row.generatedAt = now;
        return row;
    }
}
