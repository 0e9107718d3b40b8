package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Clock;
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
 * Decides mail-protocol logins (DESIGN "Mail servers"): accept an active app passcode of the
 * account within its scope, reject, or let the mail server check the primary password when
 * two-factor authentication is off (with it on, the primary password is never accepted).
 *
 * <p>Cost: a secret that cannot be a passcode (not 16 letters) needs no lookup at all; a
 * passcode-shaped one is found by its keyed lookup hash in one indexed query, so a wrong secret
 * costs no Argon2 and a right one exactly one, however many passcodes the account has. A passcode
 * verified once answers further logins from {@link MailLoginCache} with neither database nor
 * Argon2, while the cache is in sync with every credential change ({@link CredentialChanges}).
 * Use is recorded at most once per {@code last-use-resolution} per passcode (and at once from a new
 * client IP, which also records a {@code passcode-new-ip} event). Failed logins are throttled by
 * {@link LoginThrottle}, but a right passcode of the account is accepted even while throttled.
 */
@ApplicationScoped
public class MailLoginService {

    private static final Logger LOG = Logger.getLogger(MailLoginService.class);
    /** What an app passcode looks like once spaces are gone and case folded; nothing else can be one. */
    private static final Pattern PASSCODE_SHAPE = Pattern.compile("[a-z]{16}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int MAX_CLIENT_NAME = 200;

    private final MailCredentialStore store;
    private final MailLoginCache cache;
    private final LoginThrottle throttle;
    private final LookupHasher lookupHasher;
    private final Argon2Hasher argon2;
    private final SecurityEventLog events;
    private final PasscodeUsePolicy policy;
    private final MailAuthMetrics metrics;
    private final WebmailNetworks webmail;
    private final Clock clock;
    /** Argon2 verifications in progress, by lookup hash. */
    private final Map<LookupKey, InFlight> verifying = new ConcurrentHashMap<>();

    MailLoginService(
            MailCredentialStore store,
            MailLoginCache cache,
            LoginThrottle throttle,
            LookupHasher lookupHasher,
            Argon2Hasher argon2,
            SecurityEventLog events,
            PasscodeUsePolicy policy,
            MailAuthMetrics metrics,
            WebmailNetworks webmail,
            Clock clock) {
        this.store = store;
        this.cache = cache;
        this.throttle = throttle;
        this.lookupHasher = lookupHasher;
        this.argon2 = argon2;
        this.events = events;
        this.policy = policy;
        this.metrics = metrics;
        this.webmail = webmail;
        this.clock = clock;
    }

    /**
     * Decides one login. Fails with {@link ProblemType#VALIDATION_FAILED} for an unknown protocol or
     * a client IP that is no IP literal, {@link ProblemType#TOO_MANY_ATTEMPTS} (with a retry-after)
     * while the account and client network or the client network alone are throttled, and
     * {@link ProblemType#SERVICE_OVERLOADED} (with a retry-after) when the Argon2 pool is full.
     */
    public Uni<MailLoginResult> verify(MailLogin login) {
        return Uni.createFrom().deferred(() -> {
            MailProtocol protocol = MailProtocol.ofSlug(login.protocol()).orElseThrow(
                    () -> ProblemException.invalidField("protocol", "must be one of the mail protocols"));
            Optional<InetAddress> clientIp = login.clientIp().map(literal -> IpAddresses.parse(literal).orElseThrow(
                    () -> ProblemException.invalidField("clientIp", "must be an IP address")));
            Use use = new Use(login.account(), Optional.of(protocol), clientIp, login.clientName(), clock.instant());
            Timer.Sample sample = Timer.start();
            return decide(use, normalise(login.secret()))
                    .invoke(result -> decided(use, result))
                    .onTermination().invoke(() -> sample.stop(metrics.duration()));
        });
    }

    private void decided(Use use, MailLoginResult result) {
        metrics.decided(result);
        if (result.decision() == MailLoginResult.Decision.REJECT) {
            throttle.failed(use.account(), use.clientIp());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Mail login of %s over %s from %s: %s %s", use.account(),
                    use.protocol().map(MailProtocol::slug).orElse("-"), use.ipText().orElse("-"),
                    result.decision(), result.reason().orElse(""));
        }
    }

    /**
     * The active passcode a bare token is (RFC 7662 introspection: no account, no client IP, and the
     * protocol only if the caller names it). A passcode limited to some protocols is active only for
     * a named protocol among them; one limited to client networks is never active here, as the
     * client's IP is unknown.
     */
    Uni<Optional<CachedPasscode>> introspect(String token, Optional<MailProtocol> protocol) {
        String normalised = normalise(token);
        if (!PASSCODE_SHAPE.matcher(normalised).matches()) {
            return Uni.createFrom().item(Optional.empty());
        }
        Instant now = clock.instant();
        LookupKey key = new LookupKey(lookupHasher.forStorage(LookupHasher.Purpose.APP_PASSCODE, normalised));
        Optional<CachedPasscode> cached = cache.passcode(key, now);
        Uni<Optional<CachedPasscode>> found = cached.isPresent()
                ? Uni.createFrom().item(cached)
                : lookUp(normalised, now, Optional.empty()).map(Found::passcode);
        return found.flatMap(passcode -> {
            Optional<CachedPasscode> active = passcode.filter(candidate -> !candidate.expired(now, policy)
                    && candidate.scope().allowedIps().isEmpty()
                    && protocol.map(candidate.scope()::allows).orElse(candidate.scope().protocols().isEmpty()));
            if (active.isEmpty()) {
                return Uni.createFrom().item(active);
            }
            Use use = new Use(active.get().account(), protocol, Optional.empty(), Optional.empty(), now);
            return recordUse(active.get(), use).replaceWith(active);
        });
    }

    /**
     * The throttle is asked only when the secret is not a usable passcode of the account: a value
     * that matches one of its rows (by keyed lookup hash) is checked with at most one Argon2 and
     * accepted whatever the failure counters say, so an attacker can neither lock out the owner's
     * devices (behind the same NAT, or without a client IP) nor buy Argon2 with guesses, which match
     * no row and cost one indexed query.
     */
    private Uni<MailLoginResult> decide(Use use, String normalised) {
        if (!PASSCODE_SHAPE.matcher(normalised).matches()) {
            throttle.check(use.account(), use.clientIp());
            return withoutPasscode(use);
        }
        LookupKey key = new LookupKey(lookupHasher.forStorage(LookupHasher.Purpose.APP_PASSCODE, normalised));
        Optional<CachedPasscode> cached = cache.passcode(key, use.at())
                .filter(passcode -> passcode.account().equals(use.account()));
        Uni<Found> found = cached.isPresent()
                ? Uni.createFrom().item(new Found(cached, Optional.empty()))
                : lookUp(normalised, use.at(), Optional.of(use.account()));
        return found.flatMap(passcode -> {
            Optional<MailLoginResult> result = passcode.refusal().map(MailLoginResult::reject)
                    .or(() -> passcode.passcode().map(usable -> judge(usable, use)));
            if (result.filter(decided -> decided.decision() == MailLoginResult.Decision.ACCEPT).isPresent()) {
                return recordUse(passcode.passcode().get(), use).replaceWith(result.get());
            }
            throttle.check(use.account(), use.clientIp());
            return result.map(decided -> Uni.createFrom().item(decided)).orElseGet(() -> withoutPasscode(use));
        });
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
            Optional<StoredPasscode> own = found.filter(
                    passcode -> account.map(wanted -> wanted.equals(passcode.account())).orElse(true));
            if (own.isEmpty()) {
                return Uni.createFrom().item(Found.NOTHING);
            }
            StoredPasscode passcode = own.get();
            if (passcode.revoked()) {
                return Uni.createFrom().item(Found.refused(
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
            return Uni.createFrom().completionStage(current.result())
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
                .onFailure().invoke(mine.result()::completeExceptionally)
                .onCancellation().invoke(() -> mine.result().cancel(false))
                .onTermination().invoke(() -> verifying.remove(key, mine));
    }

    /** The Argon2 evaluation itself; a match is remembered, after a re-hash if the parameters changed. */
    private Uni<Optional<VerifiedPasscode>> verify(
            LookupKey key, StoredPasscode passcode, String normalised, byte[] activeKeyHash) {
        return argon2.verify(passcode.passcodeHash(), normalised).flatMap(verification -> {
            if (!verification.matches()) {
                return Uni.createFrom().item(Optional.<VerifiedPasscode>empty());
            }
            return refreshHashes(passcode, verification, normalised, activeKeyHash).map(hash -> {
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

    private MailLoginResult judge(CachedPasscode passcode, Use use) {
        if (passcode.expired(use.at(), policy)) {
            return MailLoginResult.reject(MailLoginResult.EXPIRED);
        }
        if (use.protocol().filter(protocol -> !passcode.scope().allows(protocol)).isPresent()) {
            return MailLoginResult.reject(MailLoginResult.PROTOCOL_NOT_ALLOWED);
        }
        if (!passcode.scope().allows(use.clientIp())) {
            return MailLoginResult.reject(MailLoginResult.IP_NOT_ALLOWED);
        }
        return MailLoginResult.accept(passcode.id(), passcode.name());
    }

    private Uni<MailLoginResult> withoutPasscode(Use use) {
        Optional<Boolean> cached = cache.twoFactorEnabled(use.account(), use.at());
        Uni<Boolean> enabled;
        if (cached.isPresent()) {
            enabled = Uni.createFrom().item(cached.get());
        } else {
            long epoch = cache.epoch();
            enabled = store.twoFactorEnabled(use.account())
                    .invoke(state -> cache.putTwoFactor(use.account(), state, use.at(), epoch));
        }
        return enabled.map(on -> !on ? MailLoginResult.usePassword()
                : webmail.contains(use.protocol(), use.clientIp()) ? MailLoginResult.usePasswordFromWebmail()
                : MailLoginResult.reject(MailLoginResult.TWO_FACTOR_REQUIRED));
    }

    /** Writes the use when {@link CachedPasscode#claimUseWrite} says so; a failed write never fails the login. */
    private Uni<Void> recordUse(CachedPasscode passcode, Use use) {
        passcode.used(use.at());
        if (!passcode.verified().claimUseWrite(use.at(), policy.lastUseResolution(), use.ipText())) {
            return Uni.createFrom().voidItem();
        }
        return store.recordUse(passcode.id(), use.at(), use.ipText(), use.protocol())
                .flatMap(firstSeen -> firstSeen ? newIpEvent(passcode, use) : Uni.createFrom().voidItem())
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("Recording the use of app passcode %s failed: %s", passcode.id(), failure.getMessage());
                    passcode.verified().forgetIp(use.ipText());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> newIpEvent(CachedPasscode passcode, Use use) {
        EventOrigin origin = new EventOrigin(use.ipText(), use.protocol().map(MailProtocol::slug),
                use.clientName().map(name -> name.length() > MAX_CLIENT_NAME ? name.substring(0, MAX_CLIENT_NAME) : name));
        Map<String, String> detail = Map.of("passcodeId", passcode.id().toString(), "passcodeName", passcode.name());
        return Panache.withTransaction(
                () -> events.record(passcode.account(), SecurityEventType.PASSCODE_NEW_IP, origin, detail));
    }

    /** Passcodes are typed with or without the spaces of their display form, in any case. */
    static String normalise(String secret) {
        return WHITESPACE.matcher(secret).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /** One login (or introspection) being decided. */
    private record Use(
            AccountId account,
            Optional<MailProtocol> protocol,
            Optional<InetAddress> clientIp,
            Optional<String> clientName,
            Instant at) {

        Optional<String> ipText() {
            return clientIp.map(IpAddresses::format);
        }
    }

    private record InFlight(String passcodeHash, CompletableFuture<Optional<VerifiedPasscode>> result) {}

    /** What a lookup found: a verified passcode, a refusal (a revoked passcode of the account), or nothing. */
    private record Found(Optional<CachedPasscode> passcode, Optional<String> refusal) {

        static final Found NOTHING = new Found(Optional.empty(), Optional.empty());

        static Found refused(String reason) {
            return new Found(Optional.empty(), Optional.of(reason));
        }
    }
}
