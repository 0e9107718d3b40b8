package dev.twofold.recovery;

import dev.twofold.account.AccountId;
import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.platform.Transactions;
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
 * Argon2 runs only in {@link #newSet} and {@link #matches}, which callers run outside any transaction.
 */
@ApplicationScoped
public class RecoveryCodeService {

    /** Codes per set. */
    public static final int SET_SIZE = 10;

    private static final Logger LOG = Logger.getLogger(RecoveryCodeService.class);

    /** A new set, in plain text for showing this once. */
    public record IssuedRecoveryCodes(List<String> codes, Instant generatedAt) {

        @Override
        public String toString() {
            return "IssuedRecoveryCodes[generatedAt=" + generatedAt + "]";
        }
    }

    /** A new set with its Argon2 hashes, not stored yet. */
    public static final class HashedSet {

        private final List<String> codes;
        private final List<String> normalised;
        private final List<String> hashes;
        private final Instant generatedAt;

        private HashedSet(List<String> codes, List<String> normalised, List<String> hashes, Instant generatedAt) {
            this.codes = codes;
            this.normalised = normalised;
            this.hashes = hashes;
            this.generatedAt = generatedAt;
        }
    }

    /** A code of an account, found by its lookup hash and not yet proven by Argon2. */
    public record StoredCode(long id, String codeHash, boolean used) {}

    private final RecoveryCodeRepository codes;
    private final RemainingCodesStore remainingCodes;
    private final SecretGenerator generator;
    private final LookupHasher lookup;
    private final Argon2Hasher argon2;
    private final RegenerationLimit limit;
    private final Clock clock;

    RecoveryCodeService(
            RecoveryCodeRepository codes,
            RemainingCodesStore remainingCodes,
            SecretGenerator generator,
            LookupHasher lookup,
            Argon2Hasher argon2,
            RegenerationLimit limit,
            Clock clock) {
        if (argon2.capacity() < SET_SIZE) {
            throw new IllegalStateException("twofold.argon2.pool-size + twofold.argon2.max-queue must be at least "
                    + SET_SIZE + " (one set of recovery codes is hashed as one unit)");
        }
        this.codes = codes;
        this.remainingCodes = remainingCodes;
        this.generator = generator;
        this.lookup = lookup;
        this.argon2 = argon2;
        this.limit = limit;
        this.clock = clock;
    }

    public Uni<RecoveryCodeStatistics> statistics(AccountId account) {
        return Transactions.inSession(() -> codes.findByAccount(account.value()).map(RecoveryCodeStatistics::of));
    }

    /** Whether {@code typed} has the form of a recovery code (rather than of a TOTP code). */
    public boolean isRecoveryCode(String typed) {
        return SecretGenerator.normaliseRecoveryCode(typed).isPresent();
    }

    /**
     * A fresh set, hashed but not stored: takes one of the account's {@link RegenerationLimit}
     * allowance ({@code too-many-attempts} once it is used up), then costs {@link #SET_SIZE} Argon2
     * evaluations, admitted or shed as one. Call it outside any transaction; {@link #store} it in one.
     */
    public Uni<HashedSet> newSet(AccountId account) {
        limit.take(account);
        Instant now = clock.instant();
        List<String> issued = generator.recoveryCodes(SET_SIZE);
        List<String> normalised = issued.stream()
                .map(code -> SecretGenerator.normaliseRecoveryCode(code).orElseThrow())
                .toList();
        return argon2.hashAll(normalised).map(hashes -> new HashedSet(issued, normalised, hashes, now));
    }

    /** Replaces the account's codes with {@code set}; joins the caller's transaction. */
    public Uni<IssuedRecoveryCodes> store(AccountId account, HashedSet set) {
        List<RecoveryCode> rows = new ArrayList<>(set.normalised.size());
        for (int i = 0; i < set.normalised.size(); i++) {
            rows.add(row(account, set.normalised.get(i), set.hashes.get(i), set.generatedAt));
        }
        return codes.deleteByAccount(account.value())
                .call(() -> codes.persist(rows))
                .replaceWith(new IssuedRecoveryCodes(set.codes, set.generatedAt));
    }

    /**
     * The code of the account that {@code typed} may be, found by its lookup hash (no Argon2 yet);
     * empty if it has no recovery-code form or matches no code of the account. Needs the caller's session.
     */
    public Uni<Optional<StoredCode>> find(AccountId account, String typed) {
        Optional<String> normalised = SecretGenerator.normaliseRecoveryCode(typed);
        if (normalised.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        List<byte[]> candidates = lookup.candidates(LookupHasher.Purpose.RECOVERY_CODE, normalised.get());
        return codes.findByLookup(account.value(), candidates).map(row -> {
            if (row == null) {
                LOG.debugf("Recovery code refused for %s: not a code of the account", account);
                return Optional.empty();
            }
            return Optional.of(new StoredCode(row.id, row.codeHash, row.usedAt != null));
        });
    }

    /**
     * Whether {@code typed} is {@code code} (one Argon2 evaluation). Call it outside any session:
     * the evaluation may wait behind others.
     */
    public Uni<Boolean> matches(AccountId account, StoredCode code, String typed) {
        String normalised = SecretGenerator.normaliseRecoveryCode(typed).orElseThrow();
        // A used code is never checked again, so its hash is not renewed even when the cost changed.
        return argon2.verify(code.codeHash(), normalised).map(verification -> {
            if (!verification.matches()) {
                LOG.warnf(
                        "Recovery code refused for %s: lookup hash matched row %d but Argon2 did not",
                        account, code.id());
            }
            return verification.matches();
        });
    }

    /**
     * Uses up {@code code} unless a concurrent request did first (or the set was replaced): the
     * account's remaining codes, or empty. Joins the caller's transaction.
     */
    public Uni<OptionalInt> burn(AccountId account, StoredCode code) {
        return codes.burn(code.id(), clock.instant()).flatMap(burned -> {
            if (!burned) {
                LOG.infof(
                        "Recovery code refused for %s: row %d was used or replaced by a concurrent request",
                        account, code.id());
                return Uni.createFrom().item(OptionalInt.empty());
            }
            return remaining(account).map(OptionalInt::of);
        });
    }

    /** Unused codes of the account. */
    public Uni<Integer> remaining(AccountId account) {
        return codes.countUnused(account.value()).map(Long::intValue);
    }

    /**
     * A scalar subquery counting the unused codes of the account bound to parameter
     * {@code $accountParameter}, for a read of another package that needs the count in its own round
     * trip (the TOTP sign-in: no session, and no statement beyond its read and its write).
     */
    public String unusedCountQuery(int accountParameter) {
        return remainingCodes.unusedCount(accountParameter);
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
