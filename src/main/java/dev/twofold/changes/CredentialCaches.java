package dev.twofold.changes;

import dev.twofold.account.AccountId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Every {@link CredentialCache} of this replica (the login cache, the domain policies), told each change together. */
final class CredentialCaches {

    private final List<CredentialCache> caches;

    CredentialCaches(List<CredentialCache> caches) {
        this.caches = List.copyOf(caches);
    }

    /**
     * Applies a change of {@code kind} ({@code p}, {@code t}, {@code e} or {@code d}) to {@code subject} (an
     * account, or a domain for {@code d}); false when the kind is unknown or the subject is invalid.
     */
    boolean apply(String kind, String subject) {
        Optional<Consumer<CredentialCache>> eviction = switch (kind) {
            case "p" -> account(subject).map(account -> cache -> cache.evictPasscodes(account));
            case "t" -> account(subject).map(account -> cache -> cache.evictTwoFactor(account));
            case "e" -> account(subject).map(account -> cache -> cache.evictAccount(account));
            case "d" -> subject.isEmpty() ? Optional.empty() : Optional.of(cache -> cache.evictDomainPolicy(subject));
            default -> Optional.empty();
        };
        eviction.ifPresent(caches::forEach);
        return eviction.isPresent();
    }

    void clear() {
        caches.forEach(CredentialCache::clear);
    }

    private static Optional<AccountId> account(String subject) {
        try {
            return Optional.of(new AccountId(subject));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
