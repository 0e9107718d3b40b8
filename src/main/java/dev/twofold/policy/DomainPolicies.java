package dev.twofold.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.twofold.account.AccountId;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The domain policies in force, for the login and status paths: all of them (one row per domain, so
 * few) are held in memory and read again after {@code twofold.policies.cache-ttl}; a change made
 * through this replica applies at once, on other replicas within that time. An account's first
 * appearance never changes once stored, so it is remembered without expiry (bounded in number).
 * A warm mail login thus costs no database round trip for its policy.
 */
@ApplicationScoped
public class DomainPolicies {

    private record Snapshot(Map<String, Policy> byDomain, long loadedAtNanos) {}

    private final DomainPolicyStore store;
    private final long ttlNanos;
    private final Cache<AccountId, Instant> firstSeen;
    /** Advanced by every local change, so a load that started before it cannot install what it read. */
    private final AtomicLong generation = new AtomicLong();

    private volatile Snapshot snapshot;

    DomainPolicies(DomainPolicyStore store, PolicyConfig config) {
        this.store = store;
        this.ttlNanos = config.cacheTtl().toNanos();
        this.firstSeen = Caffeine.newBuilder()
                .maximumSize(config.firstSeenCacheMaxEntries())
                .build();
    }

    /** The policy of the account's domain, if it has one. */
    public Uni<Optional<Policy>> of(AccountId account) {
        return account.domain()
                .map(this::ofDomain)
                .orElseGet(() -> Uni.createFrom().item(Optional.empty()));
    }

    Uni<Optional<Policy>> ofDomain(String domain) {
        Snapshot current = snapshot;
        if (current != null && System.nanoTime() - current.loadedAtNanos() < ttlNanos) {
            return Uni.createFrom().item(Optional.ofNullable(current.byDomain().get(domain)));
        }
        long loadGeneration = generation.get();
        long startedAt = System.nanoTime();
        return store.findAll().map(policies -> {
            Snapshot loaded = new Snapshot(
                    policies.stream().collect(Collectors.toUnmodifiableMap(Policy::domain, Function.identity())),
                    startedAt);
            if (generation.get() == loadGeneration) {
                snapshot = loaded;
            }
            return Optional.ofNullable(loaded.byDomain().get(domain));
        });
    }

    /**
     * What the account's domain asks of it now, for its status; records the account's first
     * appearance when the domain requires two-factor authentication.
     */
    public Uni<Optional<AccountPolicy>> forAccount(AccountId account, Instant now) {
        return of(account).flatMap(policy -> {
            if (policy.isEmpty()) {
                return Uni.createFrom().item(Optional.empty());
            }
            Policy found = policy.get();
            if (!found.twoFactorRequired()) {
                return Uni.createFrom().item(Optional.of(AccountPolicy.of(found, Optional.empty())));
            }
            return enrollmentDeadline(account, found, now)
                    .map(deadline -> Optional.of(AccountPolicy.of(found, Optional.of(deadline))));
        });
    }

    /**
     * Whether an account <em>without</em> two-factor authentication may use its primary password for a
     * mail login at {@code now}.
     */
    public Uni<MailPasswordVerdict> mailPassword(AccountId account, Instant now) {
        return forAccount(account, now)
                .map(policy -> policy.map(found -> found.mailPassword(now)).orElse(MailPasswordVerdict.ALLOWED));
    }

    private Uni<Instant> enrollmentDeadline(AccountId account, Policy policy, Instant now) {
        Instant since = policy.twoFactorRequiredSince().orElseThrow();
        Instant known = firstSeen.getIfPresent(account);
        Uni<Instant> appeared = known != null
                ? Uni.createFrom().item(known)
                : store.firstSeen(account, now).invoke(first -> firstSeen.put(account, first));
        return appeared.map(first -> (first.isAfter(since) ? first : since).plus(policy.enrollmentGracePeriod()));
    }

    Uni<Policy> save(Policy wanted, boolean twoFactorRequired) {
        return store.save(wanted, twoFactorRequired).invoke(this::changed);
    }

    Uni<Void> clear(String domain) {
        return store.delete(domain).invoke(this::changed);
    }

    /** Forgets what is known about an erased account. */
    public void forget(AccountId account) {
        firstSeen.invalidate(account);
    }

    private void changed() {
        generation.incrementAndGet();
        snapshot = null;
    }
}
