package dev.twofold.passcode;

import dev.twofold.account.AccountId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@code app_passcode} row as the login path reads it (the Argon2 hash included, never a secret);
 * {@code lookupKeyId} is the ring key its lookup hash is keyed under, empty if not recorded.
 */
public record StoredPasscode(
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

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    /** Whether the expiry sweep revoked it (the login path answers "expired" rather than "revoked"). */
    public boolean revokedBecauseExpired() {
        return revokedReason.filter(RevocationReason.EXPIRED.slug()::equals).isPresent();
    }
}
