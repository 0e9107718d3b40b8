package dev.twofold.totp;

import dev.twofold.recovery.RecoveryCodeStatistics;
import java.time.Instant;
import java.util.Optional;

/** What an account's second factor looks like right now; no secret is part of it. */
record TwoFactorState(
        boolean enabled,
        Optional<Instant> enabledAt,
        boolean pendingEnrollment,
        RecoveryCodeStatistics recoveryCodes,
        long activeAppPasscodes,
        Optional<Instant> lockedUntil) {}
