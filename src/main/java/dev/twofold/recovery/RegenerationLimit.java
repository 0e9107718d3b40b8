package dev.twofold.recovery;

import dev.twofold.account.AccountId;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.throttle.FailureThrottle;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/**
 * Bounds how often an account gets a new set of recovery codes ({@code twofold.recovery-codes.regeneration.*}):
 * each set costs ten Argon2 hashes, so without a bound one account's token could keep the shared
 * Argon2 pool busy. Per replica and in memory, like the mail-login throttles.
 */
@ApplicationScoped
class RegenerationLimit {

    private static final int MAX_TRACKED_ACCOUNTS = 100_000;

    private final FailureThrottle sets;

    RegenerationLimit(RecoveryCodeConfig config, Clock clock) {
        RecoveryCodeConfig.Regeneration regeneration = config.regeneration();
        this.sets = new FailureThrottle(regeneration.limit(), regeneration.window(), MAX_TRACKED_ACCOUNTS, clock);
    }

    /** Counts one new set for the account, or refuses it with {@code too-many-attempts} and {@code Retry-After}. */
    void take(AccountId account) {
        sets.tryTake(account.value()).ifPresent(wait -> {
            throw new ProblemException(
                    ProblemType.TOO_MANY_ATTEMPTS,
                    "Too many new sets of recovery codes for this account; try again later.",
                    wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
        });
    }
}
