package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Verified passcodes (by lookup hash) and accounts' two-factor states, kept briefly in memory so
 * that repeated logins need neither the database nor Argon2.
 *
 * <p>Two kinds of memory. The <em>state</em> of a passcode (owner, name, scope, expiry) and an
 * account's two-factor state answer logins on their own, so they are trusted only while this replica
 * applies every credential change: {@link CredentialChanges} marks the cache in sync each time its
 * listener receives this replica's own heartbeat, and out of sync (which empties them) when the
 * listener is lost. They are served only within three heartbeat intervals of the last beat
 * received, and for at most {@code cache-ttl}. The <em>verification</em> of a passcode value
 * ({@link VerifiedPasscode}) is a fact about the value and its Argon2 hash, not about the row's
 * state, and is kept regardless: while the state cannot be trusted, a login reads the row from the
 * database (one query) and still skips Argon2 if the row has the same id and hash.
 *
 * <p>A fill races with evictions (a login reads the row, a revocation commits, the eviction
 * arrives, then the login stores what it read): each eviction advances an epoch, and a fill that
 * started under an older epoch is dropped.
 */
@ApplicationScoped
class MailLoginCache {

    private record TwoFactorState(boolean enabled, Instant cachedAt) {}

    private final Map<LookupKey, CachedPasscode> passcodes = new ConcurrentHashMap<>();
    private final Map<AccountId, TwoFactorState> twoFactor = new ConcurrentHashMap<>();
    private final Map<LookupKey, VerifiedPasscode> verified = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private final Duration ttl;
    private final int maxEntries;
    private final long staleAfterNanos;
    /** When this replica last received its own heartbeat (System.nanoTime); 0 = out of sync. */
    private volatile long inSyncSince;
    private final Counter hits;
    private final Counter misses;

    MailLoginCache(MailAuthConfig config, MeterRegistry registry) {
        this.ttl = config.cacheTtl();
        this.maxEntries = config.cacheMaxEntries();
        this.staleAfterNanos = config.propagation().heartbeatInterval().multipliedBy(3).toNanos();
        if (ttl.isNegative() || maxEntries < 0) {
            throw new IllegalStateException("twofold.mail-auth.cache-ttl and cache-max-entries must not be negative");
        }
        this.hits = Counter.builder("twofold.mail.auth.cache.lookups").tag("result", "hit")
                .description("Login cache lookups").register(registry);
        this.misses = Counter.builder("twofold.mail.auth.cache.lookups").tag("result", "miss")
                .description("Login cache lookups").register(registry);
        Gauge.builder("twofold.mail.auth.cache.size", this, MailLoginCache::size)
                .description("Verified passcodes and two-factor states held in memory").register(registry);
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
        return Optional.ofNullable(verified.get(key));
    }

    /** Remembers a successful Argon2 verification (the memory is bounded: when full, it starts over). */
    void rememberVerification(LookupKey key, VerifiedPasscode verification) {
        if (verified.size() >= maxEntries) {
            verified.clear();
        }
        verified.put(key, verification);
    }

    /** Read before the database, handed to the put methods: fills that raced with an eviction are dropped. */
    long epoch() {
        return epoch.get();
    }

    void putPasscode(LookupKey key, CachedPasscode entry, long readEpoch) {
        put(passcodes, key, entry, readEpoch, existing -> !fresh(existing.cachedAt(), entry.cachedAt()));
    }

    void putTwoFactor(AccountId account, boolean enabled, Instant now, long readEpoch) {
        put(twoFactor, account, new TwoFactorState(enabled, now), readEpoch, existing -> !fresh(existing.cachedAt(), now));
    }

    void evictPasscodes(AccountId account) {
        epoch.incrementAndGet();
        passcodes.values().removeIf(entry -> entry.account().equals(account));
    }

    void evictTwoFactor(AccountId account) {
        epoch.incrementAndGet();
        twoFactor.remove(account);
    }

    void clear() {
        epoch.incrementAndGet();
        passcodes.clear();
        twoFactor.clear();
    }

    /** This replica has just received its own heartbeat: every change committed before it was sent is applied. */
    void markInSync(long heartbeatReceivedNanos) {
        inSyncSince = heartbeatReceivedNanos;
    }

    /** The listener is gone: nothing cached can be trusted until it is back. */
    void markOutOfSync() {
        inSyncSince = 0;
        clear();
    }

    boolean usable() {
        long since = inSyncSince;
        return since != 0 && System.nanoTime() - since < staleAfterNanos && !ttl.isZero();
    }

    /** Trusted entries (passcode and two-factor states); remembered verifications are not counted. */
    int size() {
        return passcodes.size() + twoFactor.size();
    }

    private <K, V> Optional<V> lookup(Map<K, V> map, K key, Instant now, Function<V, Instant> cachedAt) {
        V entry = usable() ? map.get(key) : null;
        if (entry == null || !fresh(cachedAt.apply(entry), now)) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(entry);
    }

    private <K, V> void put(Map<K, V> map, K key, V value, long readEpoch, Predicate<V> stale) {
        if (!usable() || epoch.get() != readEpoch) {
            return;
        }
        if (size() >= maxEntries) {
            map.values().removeIf(stale);
            if (size() >= maxEntries) {
                return;
            }
        }
        map.put(key, value);
        if (epoch.get() != readEpoch) {
            map.remove(key, value);
        }
    }

    private boolean fresh(Instant cachedAt, Instant now) {
        return now.isBefore(cachedAt.plus(ttl));
    }
}
