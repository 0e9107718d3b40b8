package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The lockout policy of sign-in codes: every wrong code is counted and recorded; the
 * {@code twofold.totp.lockout.max-failures}-th in a row locks verification for a time that doubles
 * per lockout ({@link TotpFactorRepository#countFailure}). Joins the caller's transaction.
 */
@ApplicationScoped
class VerificationLockout {

    private static final Logger LOG = Logger.getLogger(VerificationLockout.class);

    private final TotpFactorRepository factors;
    private final SecurityEventLog events;
    private final TotpConfig config;

    VerificationLockout(TotpFactorRepository factors, SecurityEventLog events, TotpConfig config) {
        this.factors = factors;
        this.events = events;
        this.config = config;
    }

    /** Counts a wrong code and records it ({@code detail} names the method); a lockout it starts is recorded too. */
    <T> Uni<Outcome<T>> failed(AccountId account, Map<String, String> detail, Instant now, EventOrigin origin) {
        return factors.countFailure(account.value(), now, config.lockout()).flatMap(failure -> {
            Uni<Void> recorded = events.record(account, SecurityEventType.VERIFY_FAILED, origin, detail);
            if (failure.startedLockout()) {
                Instant until = failure.lockedUntil().orElseThrow();
                LOG.infof(
                        "Verification of %s locked until %s after %d failed codes",
                        account, until, config.lockout().maxFailures());
                recorded = recorded.call(() -> events.record(
                        account, SecurityEventType.LOCKOUT, origin, Map.of("lockedUntil", until.toString())));
            }
            return recorded.replaceWith(failure.lockedUntil()
                    .map(until -> Outcome.<T>tooManyAttempts(until, now))
                    .orElseGet(Outcome::invalidCode));
        });
    }

    /** The refusal while verification is locked. */
    static <T> Outcome<T> locked(AccountId account, Instant lockedUntil, Instant now) {
        LOG.debugf("Verification refused for %s: locked until %s", account, lockedUntil);
        return Outcome.tooManyAttempts(lockedUntil, now);
    }
}
