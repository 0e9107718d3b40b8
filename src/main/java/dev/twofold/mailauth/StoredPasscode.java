package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.passcode.PasscodeScope;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@code app_passcode} row as the login path reads it (the Argon2 hash included, never a secret);
 * {@code lookupKeyId} is the ring key its lookup hash is keyed under, empty if not recorded.
 */
record StoredPasscode(
        UUID id,
        AccountId account,
        String name,
        String passcodeHash,
        Optional<String> lookupKeyId,
        PasscodeScope scope,
        Instant createdAt,
        Optional<Instant> expiresAt,
        Optional<Instant> revokedAt,
        Optional<String> revokedReason,
        Optional<Instant> lastUsedAt) {

    /** The {@code revoked_reason} the expiry sweep writes. */
    static final String EXPIRED_REASON = "expired";

    boolean revoked() {
        return revokedAt.isPresent();
    }

    boolean revokedBecauseExpired() {
        return revokedReason.filter(EXPIRED_REASON::equals).isPresent();
    }
}
