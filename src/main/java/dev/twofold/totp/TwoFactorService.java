package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.device.TrustedDeviceService;
import dev.twofold.mailauth.CredentialChangeNotifier;
import dev.twofold.passcode.AppPasscodeService;
import dev.twofold.platform.Transactions;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.recovery.RecoveryCodeService;
import dev.twofold.recovery.RecoveryCodeService.IssuedRecoveryCodes;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An account's second factor as a whole: its state, recovery-code regeneration and disabling; the
 * TOTP settings are checked here at boot. Enrolling is {@link EnrollmentService}, signing in
 * {@link SecondFactorVerifier}.
 */
@ApplicationScoped
@Startup
class TwoFactorService {

    static final int MAX_WINDOW = 2;
    static final Duration MIN_PERIOD = Duration.ofSeconds(15);

    private final TotpFactorRepository factors;
    private final TotpEnrollmentRepository enrollments;
    private final RecoveryCodeService recoveryCodes;
    private final AppPasscodeService appPasscodes;
    private final SecurityEventLog events;
    private final TrustedDeviceService devices;
    private final CredentialChangeNotifier credentialChanges;
    private final Clock clock;

    TwoFactorService(
            TotpFactorRepository factors,
            TotpEnrollmentRepository enrollments,
            RecoveryCodeService recoveryCodes,
            AppPasscodeService appPasscodes,
            SecurityEventLog events,
            TrustedDeviceService devices,
            CredentialChangeNotifier credentialChanges,
            TotpConfig config,
            Clock clock) {
        validated(config);
        this.factors = factors;
        this.enrollments = enrollments;
        this.recoveryCodes = recoveryCodes;
        this.appPasscodes = appPasscodes;
        this.events = events;
        this.devices = devices;
        this.credentialChanges = credentialChanges;
        this.clock = clock;
    }

    Uni<TwoFactorState> state(AccountId account) {
        Instant now = clock.instant();
        return Transactions.inSession(() -> factors.findByAccount(account.value())
                .flatMap(factor -> enrollments.hasUnexpired(account.value(), now)
                        .flatMap(pending -> recoveryCodes.statistics(account)
                                .flatMap(codes -> appPasscodes.countActive(account)
                                        .map(passcodes -> new TwoFactorState(
                                                factor != null,
                                                Optional.ofNullable(factor).map(f -> f.enabledAt),
                                                factor == null && pending,
                                                codes,
                                                passcodes,
                                                Optional.ofNullable(factor)
                                                        .map(f -> f.lockedUntil)
                                                        .filter(until -> until.isAfter(now))))))));
    }

    /**
     * A new set of recovery codes; the old set stops working at once. Limited per account
     * ({@code twofold.recovery-codes.regeneration.*}); hashed outside any transaction.
     */
    Uni<IssuedRecoveryCodes> regenerateRecoveryCodes(AccountId account, EventOrigin origin) {
        return Transactions.inSession(() -> factors.findByAccount(account.value()))
                .invoke(factor -> requireEnabled(factor != null))
                .flatMap(ignored -> recoveryCodes.newSet(account))
                // Locking the factor serialises concurrent regenerations (one set stays, not two) and keeps
                // a concurrent disable from leaving codes behind.
                .flatMap(set -> Transactions.inTransaction(() -> factors.lock(account.value())
                        .invoke(gate -> requireEnabled(gate.enabled()))
                        .flatMap(gate -> recoveryCodes.store(account, set))
                        .call(issued -> events.record(account, SecurityEventType.RECOVERY_CODES_REGENERATED, origin,
                                Map.of("issued", Integer.toString(issued.codes().size()))))));
    }

    private static void requireEnabled(boolean enabled) {
        if (!enabled) {
            throw new ProblemException(ProblemType.TWO_FACTOR_NOT_ENABLED,
                    "Two-factor authentication is not enabled for this account.");
        }
    }

    /**
     * Turns two-factor authentication off: seed, pending enrollment and recovery codes are deleted.
     * App passcodes stay valid. Idempotent; the event is recorded only when it was on.
     */
    Uni<Void> disable(AccountId account, boolean byAdmin, EventOrigin origin) {
        return Transactions.inTransaction(() -> factors.deleteByAccount(account.value())
                .call(() -> enrollments.deleteByAccount(account.value()))
                .call(() -> recoveryCodes.deleteAll(account))
                .call(() -> devices.forgetAll(account, origin))
                .call(() -> credentialChanges.twoFactorChanged(account))
                .call(deleted -> deleted > 0
                        ? events.record(account, byAdmin ? SecurityEventType.TWO_FACTOR_RESET
                                : SecurityEventType.TWO_FACTOR_DISABLED, origin)
                        : Uni.createFrom().voidItem())
                .replaceWithVoid());
    }

    static TotpConfig validated(TotpConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.issuer().isBlank()) {
            problems.add("twofold.totp.issuer must not be blank");
        }
        if (config.digits() != 6 && config.digits() != 8) {
            problems.add("twofold.totp.digits must be 6 or 8 (was " + config.digits() + ")");
        }
        if (config.period().compareTo(MIN_PERIOD) < 0 || config.period().getNano() != 0) {
            problems.add("twofold.totp.period must be whole seconds, at least " + MIN_PERIOD.toSeconds()
                    + " s (was " + config.period() + ")");
        }
        if (config.window() < 0 || config.window() > MAX_WINDOW) {
            problems.add("twofold.totp.window must be 0.." + MAX_WINDOW + " (was " + config.window() + ")");
        }
        if (!isPositive(config.enrollmentTtl())) {
            problems.add("twofold.totp.enrollment-ttl must be positive (was " + config.enrollmentTtl() + ")");
        }
        TotpConfig.Lockout lockout = config.lockout();
        if (lockout.maxFailures() < 1) {
            problems.add("twofold.totp.lockout.max-failures must be at least 1 (was " + lockout.maxFailures() + ")");
        }
        if (lockout.initial().toSeconds() < 1) {
            problems.add("twofold.totp.lockout.initial must be at least 1 s (was " + lockout.initial() + ")");
        }
        if (lockout.max().compareTo(lockout.initial()) < 0) {
            problems.add("twofold.totp.lockout.max must not be below twofold.totp.lockout.initial (was "
                    + lockout.max() + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid TOTP settings: " + String.join("; ", problems));
        }
        return config;
    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
