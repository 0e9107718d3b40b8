package dev.twofold.mailauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.twofold.account.AccountId;
import dev.twofold.changes.CredentialCache;
import dev.twofold.changes.OwnHeartbeat;
import dev.twofold.platform.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Verified passcodes (by lookup hash) and accounts' two-factor states, kept briefly in memory so
 * that repeated logins need neither the database nor Argon2.
 *
 * <p>Two kinds of memory. The <em>state</em> of a passcode (owner, name, scope, expiry) and an
 * account's two-factor state answer logins on their own, so they are trusted only while this replica
 * applies every credential change: the change listener ({@code dev.twofold.changes}) records in
 * {@link OwnHeartbeat} each time it receives this replica's own heartbeat, and empties them and stops
 * trusting them when the listener is lost or misses the acknowledgement of a change made here. They are served only within
 * three heartbeat intervals of the last beat received, and for at most {@code cache-ttl}. The
 * <em>verification</em> of a passcode value ({@link VerifiedPasscode}) is a fact about the value and
 * its Argon2 hash, not about the row's state, and is kept regardless: while the state cannot be
 * trusted, a login reads the row from the database (one query) and still skips Argon2 if the row has
 * the same id and hash.
 *
 * <p>Budgets. Passcode states and verifications are bounded by {@code cache-max-entries} each, and
 * only a right passcode (one Argon2 match) gets in. Two-factor states are what a login with any
 * account name and a secret that is no passcode leaves behind, so they have a budget of their own
 * ({@code cache-max-accounts}): a flood of made-up names evicts only other two-factor states, never
 * a real user's verified passcode. Each cache evicts its least valuable entries one by one
 * (Caffeine's W-TinyLFU) rather than starting over.
 *
 * <p>A fill races with evictions (a login reads the row, a revocation commits, the eviction
 * arrives, then the login stores what it read): each eviction advances an epoch, and a fill that
 * started under an older epoch is dropped.
 */
@ApplicationScoped
class MailLoginCache implements CredentialCache {

    /** A verification unused this long is forgotten; the next login with that value pays one Argon2 again. */
    private static final Duration VERIFICATION_IDLE = Duration.ofDays(1);

    private static final String LOOKUPS = "twofold.mail.auth.cache.lookups";

    private record TwoFactorState(boolean enabled, Instant cachedAt) {}

    private final Cache<LookupKey, CachedPasscode> passcodes;
    private final Cache<AccountId, TwoFactorState> twoFactor;
    private final Cache<LookupKey, VerifiedPasscode> verified;
    private final AtomicLong epoch = new AtomicLong();
    private final Duration ttl;
    private final OwnHeartbeat heartbeat;

    private final Counter hits;
    private final Counter misses;

    MailLoginCache(MailAuthConfig config, OwnHeartbeat heartbeat, MeterRegistry registry) {
        this.ttl = config.cacheTtl();
        this.heartbeat = heartbeat;
        if (ttl.isNegative() || config.cacheMaxEntries() < 0 || config.cacheMaxAccounts() < 0) {
            throw new IllegalStateException(
                    "twofold.mail-auth.cache-ttl, cache-max-entries and cache-max-accounts must not be negative");
        }
        // The entries' own timestamps (on the injected clock) decide freshness; Caffeine's expiry on
        // real time only hands the memory back.
        Duration reclaimAfter = ttl.isZero() ? Duration.ofSeconds(1) : ttl;
        this.passcodes =
                bounded(config.cacheMaxEntries()).expireAfterWrite(reclaimAfter).build();
        this.twoFactor = bounded(config.cacheMaxAccounts())
                .expireAfterWrite(reclaimAfter)
                .build();
        this.verified = bounded(config.cacheMaxEntries())
                .expireAfterAccess(VERIFICATION_IDLE)
                .build();
        this.hits = Meters.counter(registry, LOOKUPS, "Login cache lookups", "result", "hit");
        this.misses = Meters.counter(registry, LOOKUPS, "Login cache lookups", "result", "miss");
        Gauge.builder("twofold.mail.auth.cache.size", this, MailLoginCache::size)
                .description("Verified passcodes and two-factor states held in memory")
                .register(registry);
    }

    /** Maintenance runs on the calling thread: amortised O(1) per operation, and deterministic in tests. */
    private static Caffeine<Object, Object> bounded(int maxEntries) {
        return Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run);
    }

    /** The verified passcode stored under this lookup hash, if the cache may answer and holds a fresh one. */
    Optional<CachedPasscode> passcode(LookupKey key, Instant now) {
        return lookup(passcodes, key, now, CachedPasscode::cachedAt);
    }

    Optional<Boolean> twoFactorEnabled(AccountId account, Instant now) {
        return lookup(twoFactor, account, now, TwoFactorState::cachedAt).map(TwoFactorState::enabled);
    }

    /** The remembered verification of this passcode value, whether or not the cache is in sync. */
    Optional<VerifiedPasscode> verification(LookupKey key) {
        return Optional.ofNullable(verified.getIfPresent(key));
    }

    /** Remembers a successful Argon2 verification. */
    void rememberVerification(LookupKey key, VerifiedPasscode verification) {
        verified.put(key, verification);
    }

    /** Read before the database, handed to the put methods: fills that raced with an eviction are dropped. */
    long epoch() {
        return epoch.get();
    }

    void putPasscode(LookupKey key, CachedPasscode entry, long readEpoch) {
        put(passcodes, key, entry, readEpoch);
    }

    void putTwoFactor(AccountId account, boolean enabled, Instant now, long readEpoch) {
        put(twoFactor, account, new TwoFactorState(enabled, now), readEpoch);
    }

    /** Scans the passcode states (at most cache-max-entries): changes are rare next to logins. */
    @Override
    public void evictPasscodes(AccountId account) {
        epoch.incrementAndGet();
        passcodes.asMap().values().removeIf(entry -> entry.account().equals(account));
    }

    @Override
    public void evictTwoFactor(AccountId account) {
        epoch.incrementAndGet();
        twoFactor.invalidate(account);
    }

    /** Everything held here is about passcodes or two-factor states. */
    @Override
    public void evictAccount(AccountId account) {
        evictPasscodes(account);
        evictTwoFactor(account);
    }

    /** Nothing held here depends on a domain policy: every login that needs one asks for it. */
    @Override
    public void evictDomainPolicy(String domain) {}

    @Override
    public void clear() {
        epoch.incrementAndGet();
        passcodes.invalidateAll();
        twoFactor.invalidateAll();
    }

    boolean usable() {
        return heartbeat.recent() && !ttl.isZero();
    }

    /** Trusted entries (passcode and two-factor states); remembered verifications are not counted. */
    long size() {
        return passcodes.estimatedSize() + twoFactor.estimatedSize();
    }

    private <K, V> Optional<V> lookup(Cache<K, V> cache, K key, Instant now, Function<V, Instant> cachedAt) {
        V entry = usable() ? cache.getIfPresent(key) : null;
        if (entry == null || !fresh(cachedAt.apply(entry), now)) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(entry);
    }

    private <K, V> void put(Cache<K, V> cache, K key, V value, long readEpoch) {
        if (!usable() || epoch.get() != readEpoch) {
            return;
        }
        cache.put(key, value);
        if (epoch.get() != readEpoch) {
            // An eviction ran meanwhile and may have missed this entry.
            cache.asMap().remove(key, value);
        }
    }

    private boolean fresh(Instant cachedAt, Instant now) {
        return now.isBefore(cachedAt.plus(ttl));
    }
}
