package dev.twofold.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.twofold.account.AccountId;
import dev.twofold.changes.CredentialCache;
import dev.twofold.changes.OwnHeartbeat;
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
 * few) are held in memory, and kept honest like the login cache ({@link CredentialCache}): a policy
 * set or cleared on any replica is notified in its transaction, every replica drops what it holds
 * when it receives the notice, and the admin request is answered once they have acknowledged it. So
 * the next login anywhere sees the change. What is held is used only while this replica is known to
 * hear every change ({@link OwnHeartbeat}; otherwise each lookup reads the database) and for at most
 * {@code twofold.policies.cache-ttl}, which bounds only changes written to the database by hand. An
 * account's first appearance never changes once stored, so it is remembered (bounded in number)
 * until the account is erased. A warm mail login thus costs
 * no database round trip for its policy.
 */
@ApplicationScoped
public class DomainPolicies implements CredentialCache {

    private record Snapshot(Map<String, Policy> byDomain, long loadedAtNanos) {}

    private final DomainPolicyStore store;
    private final long ttlNanos;
    private final OwnHeartbeat heartbeat;
    private final Cache<AccountId, Instant> firstSeen;
    /** Advanced by every change heard, so a load that started before it cannot install what it read. */
    private final AtomicLong generation = new AtomicLong();

    private volatile Snapshot snapshot;

    DomainPolicies(DomainPolicyStore store, PolicyConfig config, OwnHeartbeat heartbeat) {
        this.store = store;
        this.ttlNanos = config.cacheTtl().toNanos();
        this.heartbeat = heartbeat;
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
        if (current != null && inSync() && System.nanoTime() - current.loadedAtNanos() < ttlNanos) {
            return Uni.createFrom().item(Optional.ofNullable(current.byDomain().get(domain)));
        }
        long loadGeneration = generation.get();
        long startedAt = System.nanoTime();
        return store.findAll().map(policies -> {
            Snapshot loaded = new Snapshot(
                    policies.stream().collect(Collectors.toUnmodifiableMap(Policy::domain, Function.identity())),
                    startedAt);
            // Kept only if no change was heard meanwhile and every change is heard (as the login cache's fills).
            if (generation.get() == loadGeneration && inSync()) {
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

    /** Sets the domain's policy; every replica applies it before the request is answered. */
    Uni<Policy> save(Policy wanted, boolean twoFactorRequired) {
        return store.save(wanted, twoFactorRequired);
    }

    /** Clears the domain's policy; every replica applies it before the request is answered. */
    Uni<Void> delete(String domain) {
        return store.delete(domain);
    }

    /** Policies are few: the next lookup reads them all again, the changed one included. */
    @Override
    public void evictDomainPolicy(String domain) {
        dropSnapshot();
    }

    /** Nothing here depends on an account's passcodes. */
    @Override
    public void evictPasscodes(AccountId account) {}

    /** An account's first appearance outlives changes of its two-factor state. */
    @Override
    public void evictTwoFactor(AccountId account) {}

    /** The account's first appearance is gone with it: read it again when needed. */
    @Override
    public void evictAccount(AccountId account) {
        firstSeen.invalidate(account);
    }

    @Override
    public void clear() {
        dropSnapshot();
        firstSeen.invalidateAll();
    }

    /** Whether this replica is known to hear every change, so that what it holds may answer. */
    boolean inSync() {
        return heartbeat.recent();
    }

    private void dropSnapshot() {
        generation.incrementAndGet();
        snapshot = null;
    }
}
