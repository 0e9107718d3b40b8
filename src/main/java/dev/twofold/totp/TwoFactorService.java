package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.changes.CredentialChangeNotifier;
import dev.twofold.device.TrustedDeviceService;
import dev.twofold.passcode.AppPasscodeService;
import dev.twofold.platform.Transactions;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.recovery.RecoveryCodeService;
import dev.twofold.recovery.RecoveryCodeService.IssuedRecoveryCodes;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An account's second factor as a whole: its state, recovery-code regeneration and disabling.
 * Enrolling is {@link EnrollmentService}, signing in {@link SecondFactorVerifier}.
 */
@ApplicationScoped
class TwoFactorService {

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
            Clock clock) {
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
                .flatMap(factor -> enrollments
                        .hasUnexpired(account.value(), now)
                        .flatMap(pending -> recoveryCodes
                                .statistics(account)
                                .flatMap(codes -> appPasscodes
                                        .countActive(account)
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
                        .call(issued -> events.record(
                                account,
                                SecurityEventType.RECOVERY_CODES_REGENERATED,
                                origin,
                                Map.of("issued", Integer.toString(issued.codes().size()))))));
    }

    private static void requireEnabled(boolean enabled) {
        if (!enabled) {
            throw new ProblemException(
                    ProblemType.TWO_FACTOR_NOT_ENABLED, "Two-factor authentication is not enabled for this account.");
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
                        ? events.record(
                                account,
                                byAdmin ? SecurityEventType.TWO_FACTOR_RESET : SecurityEventType.TWO_FACTOR_DISABLED,
                                origin)
                        : Uni.createFrom().voidItem())
                .replaceWithVoid());
    }
}
