package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.passcode.PasscodeLoginStore;
import dev.twofold.passcode.StoredPasscode;
import dev.twofold.platform.VertxContexts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Finds the app passcode a typed secret is, at the least cost: a secret that cannot be a passcode
 * (not 16 letters) needs no lookup at all; a passcode-shaped one is found by its keyed lookup hash,
 * in {@link MailLoginCache} or in one indexed query, so a wrong secret costs no Argon2 and a right one
 * at most one, however many passcodes the account has, and concurrent first logins with one value
 * share that one evaluation.
 */
@ApplicationScoped
class PasscodeResolver {

    private static final Logger LOG = Logger.getLogger(PasscodeResolver.class);
    /** What an app passcode looks like once spaces are gone and case folded; nothing else can be one. */
    private static final Pattern PASSCODE_SHAPE = Pattern.compile("[a-z]{16}");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final PasscodeLoginStore store;
    private final MailLoginCache cache;
    private final LookupHasher lookupHasher;
    private final Argon2Hasher argon2;
    /** Argon2 verifications in progress, by lookup hash. */
    private final Map<LookupKey, InFlight> verifying = new ConcurrentHashMap<>();

    PasscodeResolver(PasscodeLoginStore store, MailLoginCache cache, LookupHasher lookupHasher, Argon2Hasher argon2) {
        this.store = store;
        this.cache = cache;
        this.lookupHasher = lookupHasher;
        this.argon2 = argon2;
    }

    /** Passcodes are typed with or without the spaces of their display form, in any case. */
    static String normalise(String secret) {
        return WHITESPACE.matcher(secret).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /** Whether a normalised secret has the shape of an app passcode; if not, it is looked up nowhere. */
    static boolean couldBePasscode(String normalised) {
        return PASSCODE_SHAPE.matcher(normalised).matches();
    }

    /**
     * The passcode of {@code account} (of any account if empty) that a passcode-shaped secret is,
     * from the cache when it may answer, else from the database (see {@link #lookUp}).
     */
    Uni<Found> find(String normalised, Instant now, Optional<AccountId> account) {
        LookupKey key = new LookupKey(lookupHasher.forStorage(LookupHasher.Purpose.APP_PASSCODE, normalised));
        Optional<CachedPasscode> cached = cache.passcode(key, now)
                .filter(passcode -> account.map(passcode.account()::equals).orElse(true));
        return cached.isPresent()
                ? Uni.createFrom().item(new Found(cached, Optional.empty()))
                : lookUp(normalised, now, account);
    }

    /**
     * Finds the passcode by lookup hash and verifies its Argon2 hash (the only evaluation of this
     * login, skipped when this replica verified the same value against the same hash before),
     * caching it. Finds nothing when no passcode of {@code account} (of any account if
     * empty) has this value; a revoked one is a refusal ({@code revoked} or {@code expired}), and so
     * is one whose Argon2 hash does not match ({@code unknown-secret}: the row was tampered with).
     */
    private Uni<Found> lookUp(String normalised, Instant now, Optional<AccountId> account) {
        List<byte[]> candidates = lookupHasher.candidates(LookupHasher.Purpose.APP_PASSCODE, normalised);
        LookupKey key = new LookupKey(candidates.get(0));
        long epoch = cache.epoch();
        return store.findByLookupHash(candidates).flatMap(found -> {
            Optional<StoredPasscode> own = found.filter(passcode ->
                    account.map(wanted -> wanted.equals(passcode.account())).orElse(true));
            if (own.isEmpty()) {
                return Uni.createFrom().item(Found.NOTHING);
            }
            StoredPasscode passcode = own.get();
            if (passcode.revoked()) {
                return Uni.createFrom()
                        .item(Found.refused(
                                passcode.revokedBecauseExpired() ? MailLoginResult.EXPIRED : MailLoginResult.REVOKED));
            }
            Optional<VerifiedPasscode> remembered = remembered(key, passcode);
            Uni<Optional<VerifiedPasscode>> verified = remembered.isPresent()
                    ? Uni.createFrom().item(remembered)
                    : verifyOnce(key, passcode, normalised, candidates.get(0));
            return verified.map(match -> match.map(verification -> found(key, passcode, verification, now, epoch))
                    .orElseGet(() -> {
                        // The keyed hash matched but Argon2 did not: the row was altered. Refuse, whatever 2FA says.
                        LOG.warnf("App passcode %s: lookup hash matched, Argon2 hash did not", passcode.id());
                        return Found.refused(MailLoginResult.UNKNOWN_SECRET);
                    }));
        });
    }

    /**
     * One Argon2 evaluation for concurrent first logins with the same value (a client opening many
     * connections at once, or a burst after a restart): the first runs it, the others wait for its
     * result instead of filling the Argon2 pool with copies. The result is remembered before the
     * slot is released, and a new first login looks there again, so no second evaluation slips in.
     */
    private Uni<Optional<VerifiedPasscode>> verifyOnce(
            LookupKey key, StoredPasscode passcode, String normalised, byte[] activeKeyHash) {
        InFlight mine = new InFlight(passcode.passcodeHash(), new CompletableFuture<>());
        InFlight current = verifying.putIfAbsent(key, mine);
        if (current != null && current.passcodeHash().equals(passcode.passcodeHash())) {
            return Uni.createFrom()
                    .completionStage(current.result())
                    .emitOn(VertxContexts.current())
                    .onFailure(CancellationException.class)
                    .recoverWithUni(() -> verify(key, passcode, normalised, activeKeyHash));
        }
        if (current != null) {
            return verify(key, passcode, normalised, activeKeyHash);
        }
        Optional<VerifiedPasscode> remembered = remembered(key, passcode);
        Uni<Optional<VerifiedPasscode>> verification = remembered.isPresent()
                ? Uni.createFrom().item(remembered)
                : verify(key, passcode, normalised, activeKeyHash);
        return verification
                .invoke(mine.result()::complete)
                .onFailure()
                .invoke(mine.result()::completeExceptionally)
                .onCancellation()
                .invoke(() -> mine.result().cancel(false))
                .onTermination()
                .invoke(() -> verifying.remove(key, mine));
    }

    /** The Argon2 evaluation itself; a match is remembered, after a re-hash if the parameters changed. */
    private Uni<Optional<VerifiedPasscode>> verify(
            LookupKey key, StoredPasscode passcode, String normalised, byte[] activeKeyHash) {
        return argon2.verify(passcode.passcodeHash(), normalised).flatMap(verification -> {
            if (!verification.matches()) {
                return Uni.createFrom().item(Optional.<VerifiedPasscode>empty());
            }
            return refreshHashes(passcode, verification, normalised, activeKeyHash)
                    .map(hash -> {
                        VerifiedPasscode verified = new VerifiedPasscode(passcode.id(), hash);
                        cache.rememberVerification(key, verified);
                        return Optional.of(verified);
                    });
        });
    }

    private Optional<VerifiedPasscode> remembered(LookupKey key, StoredPasscode passcode) {
        return cache.verification(key).filter(known -> known.stillMatches(passcode));
    }

    private Found found(LookupKey key, StoredPasscode passcode, VerifiedPasscode verified, Instant now, long epoch) {
        CachedPasscode state = new CachedPasscode(passcode, verified, now);
        cache.putPasscode(key, state, epoch);
        return new Found(Optional.of(state), Optional.empty());
    }

    /**
     * Re-hashes after an Argon2 parameter change, and re-keys the lookup hash after a key rotation;
     * gives the Argon2 hash now stored.
     */
    private Uni<String> refreshHashes(
            StoredPasscode passcode, Argon2Hasher.Verification verification, String normalised, byte[] activeKeyHash) {
        if (verification.needsRehash()) {
            return argon2.hash(normalised)
                    .call(hash -> store.rehash(passcode.id(), hash, activeKeyHash, lookupHasher.activeKeyId()));
        }
        if (!passcode.lookupKeyId().equals(Optional.of(lookupHasher.activeKeyId()))) {
            return store.rehash(passcode.id(), passcode.passcodeHash(), activeKeyHash, lookupHasher.activeKeyId())
                    .replaceWith(passcode.passcodeHash());
        }
        return Uni.createFrom().item(passcode.passcodeHash());
    }

    private record InFlight(String passcodeHash, CompletableFuture<Optional<VerifiedPasscode>> result) {}

    /** What a lookup found: a verified passcode, a refusal (a revoked passcode of the account), or nothing. */
    record Found(Optional<CachedPasscode> passcode, Optional<String> refusal) {

        static final Found NOTHING = new Found(Optional.empty(), Optional.empty());

        static Found refused(String reason) {
            return new Found(Optional.empty(), Optional.of(reason));
        }
    }
}
