package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.passcode.PasscodeScope;
import dev.twofold.passcode.PasscodeUsePolicy;
import dev.twofold.passcode.StoredPasscode;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A verified passcode's state as read from the database (owner, name, scope, expiry), kept in
 * memory to answer repeated logins without the database. Never the secret or its hash. Trusted
 * only while the cache is in sync ({@link MailLoginCache}).
 */
final class CachedPasscode {

    private final UUID id;
    private final AccountId account;
    private final String name;
    private final PasscodeScope scope;
    private final Instant createdAt;
    private final Optional<Instant> expiresAt;
    private final Instant cachedAt;
    private final VerifiedPasscode verified;
    private volatile Instant lastActivity;

    CachedPasscode(StoredPasscode stored, VerifiedPasscode verified, Instant cachedAt) {
        this.id = stored.id();
        this.account = stored.account();
        this.name = stored.name();
        this.scope = stored.scope();
        this.createdAt = stored.createdAt();
        this.expiresAt = stored.expiresAt();
        this.cachedAt = cachedAt;
        this.verified = verified;
        this.lastActivity = stored.lastUsedAt().orElse(stored.createdAt());
    }

    UUID id() {
        return id;
    }

    AccountId account() {
        return account;
    }

    String name() {
        return name;
    }

    PasscodeScope scope() {
        return scope;
    }

    Instant createdAt() {
        return createdAt;
    }

    Optional<Instant> expiresAt() {
        return expiresAt;
    }

    Instant cachedAt() {
        return cachedAt;
    }

    VerifiedPasscode verified() {
        return verified;
    }

    /** Past its fixed expiry, or unused for longer than the policy allows. */
    boolean expired(Instant now, PasscodeUsePolicy policy) {
        return expiresAt.filter(expiry -> !expiry.isAfter(now)).isPresent() || policy.unusedTooLong(lastActivity, now);
    }

    /** A successful login now (for unused expiry, until the entry is read again from the database). */
    void used(Instant now) {
        if (now.isAfter(lastActivity)) {
            lastActivity = now;
        }
    }
}
