package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.crypto.AssertionIssuer;
import dev.twofold.crypto.SecretSealer;
import dev.twofold.platform.Transactions;
import dev.twofold.recovery.RecoveryCodeService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * The second factor at sign-in: a TOTP code (each time step accepted once) or a recovery code (each
 * code once), told apart by their form; a success is answered with a signed assertion.
 *
 * <p>Refusals that must leave a trace (a counted failure, a lockout, an audit event) are returned
 * from the transaction as a {@link Outcome} and thrown only after it committed. No transaction is
 * open while Argon2 runs: a recovery code is read first, hashed, then burnt in a short transaction
 * that re-checks the lockout.
 */
@ApplicationScoped
class SecondFactorVerifier {

    /** How a verification was satisfied: the public method name and the assertion's {@code amr} value. */
    enum Method {
        TOTP("totp", "otp"),
        RECOVERY_CODE("recovery-code", "recovery");

        private final String slug;
        private final String amr;

        Method(String slug, String amr) {
            this.slug = slug;
            this.amr = amr;
        }

        public String slug() {
            return slug;
        }

        String amr() {
            return amr;
        }
    }

    /** A successful verification. */
    record Verified(Method method, Instant verifiedAt, int recoveryCodesRemaining, String assertion) {

        @Override
        public String toString() {
            return "Verified[method=" + method + ", verifiedAt=" + verifiedAt + "]";
        }
    }

    /** With this many recovery codes left (or fewer) after a use, the account gets a warning event. */
    static final int LOW_RECOVERY_CODES = 3;

    private static final Logger LOG = Logger.getLogger(SecondFactorVerifier.class);

    private final TotpFactorRepository factors;
    private final TotpSignInStore signIns;
    private final RecoveryCodeService recoveryCodes;
    private final VerificationLockout lockout;
    private final SecurityEventLog events;
    private final SecretSealer sealer;
    private final SeedRotationService rotation;
    private final AssertionIssuer assertions;
    private final TotpConfig config;
    private final VerificationMetrics metrics;
    private final Clock clock;

    SecondFactorVerifier(
            TotpFactorRepository factors,
            TotpSignInStore signIns,
            RecoveryCodeService recoveryCodes,
            VerificationLockout lockout,
            SecurityEventLog events,
            SecretSealer sealer,
            SeedRotationService rotation,
            AssertionIssuer assertions,
            TotpConfig config,
            VerificationMetrics metrics,
            Clock clock) {
        this.factors = factors;
        this.signIns = signIns;
        this.recoveryCodes = recoveryCodes;
        this.lockout = lockout;
        this.events = events;
        this.sealer = sealer;
        this.rotation = rotation;
        this.assertions = assertions;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Checks the code typed at sign-in: a TOTP code (each time step accepted once) or a recovery
     * code (each code once), told apart by their form. Every refusal of a code is the same
     * {@code invalid-code}; the log says why.
     */
    Uni<Verified> verify(AccountId account, String code, EventOrigin origin) {
        Method method = recoveryCodes.isRecoveryCode(code) ? Method.RECOVERY_CODE : Method.TOTP;
        Instant now = clock.instant();
        Uni<Outcome<Integer>> outcome = method == Method.TOTP
                ? verifyTotp(account, code, now, origin)
                : verifyRecoveryCode(account, code, now, origin);
        return outcome.invoke(result -> metrics.count(method, result))
                .map(Outcome::orThrow)
                .map(remaining -> new Verified(method, now, remaining, assertions.issue(account, method.amr())));
    }

    /**
     * The common case, a right code, costs one read and one write (see {@link TotpSignInStore}); the
     * recovery codes left, part of the answer, are counted by their owner within the write.
     */
    private Uni<Outcome<Integer>> verifyTotp(AccountId account, String code, Instant now, EventOrigin origin) {
        return signIns.find(account).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Outcome.notEnabled());
            }
            TotpSignInStore.SignInFactor factor = found.get();
            if (factor.lockedUntil().filter(until -> until.isAfter(now)).isPresent()) {
                return Uni.createFrom()
                        .item(VerificationLockout.locked(
                                account, factor.lockedUntil().get(), now));
            }
            byte[] seed = sealer.open(factor.seed(), account.value());
            try {
                OptionalLong step = TypedCode.matchingStep(
                        seed, code, now, config.window(), factor.algorithm(), factor.digits(), factor.periodSeconds());
                if (step.isEmpty()) {
                    LOG.debugf(
                            "Verification refused for %s: no time step in the window matches (wrong or expired"
                                    + " code)",
                            account);
                    return Transactions.inTransaction(() -> lockout.failed(account, detail(Method.TOTP), now, origin));
                }
                // Sealed while the plain seed is still at hand; written only once the step is accepted.
                Uni<Void> reseal = rotation.resealIfStale(
                        SeedRotationService.SeedTable.FACTOR, account.value(), factor.seed(), seed);
                SecurityEventLog.EventRows success = events.rowsNumberedByInsert(
                        account, SecurityEventType.VERIFY_SUCCEEDED, origin, detail(Method.TOTP));
                return signIns.acceptStep(account, step.getAsLong(), now, success)
                        .flatMap(accepted -> {
                            if (accepted.isEmpty()) {
                                // Not counted towards the lockout: a used code is no guess, just a double
                                // submit or a replay.
                                LOG.infof(
                                        "Verification refused for %s: time step %d was already used, or a lockout began"
                                                + " meanwhile",
                                        account, step.getAsLong());
                                return Transactions.inTransaction(() -> events.record(
                                                account, SecurityEventType.VERIFY_FAILED, origin, detail(Method.TOTP)))
                                        .replaceWith(Outcome.invalidCode());
                            }
                            return reseal.replaceWith(Outcome.ok(accepted.get().recoveryCodesLeft()));
                        });
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
        });
    }

    /**
     * Read (state, and the row the code's lookup hash finds), then Argon2 outside any transaction,
     * then one short transaction that row-locks the factor, re-checks the lockout and burns the
     * code: a lockout that began while Argon2 ran wins, and the code stays unused.
     */
    private Uni<Outcome<Integer>> verifyRecoveryCode(AccountId account, String code, Instant now, EventOrigin origin) {
        return Transactions.inSession(() -> factors.findByAccount(account.value())
                        .flatMap(factor -> {
                            if (factor == null) {
                                return Uni.createFrom().item(RecoveryCodeCheck.refused(Outcome.notEnabled()));
                            }
                            if (factor.lockedUntil != null && factor.lockedUntil.isAfter(now)) {
                                return Uni.createFrom()
                                        .item(RecoveryCodeCheck.refused(
                                                VerificationLockout.locked(account, factor.lockedUntil, now)));
                            }
                            return recoveryCodes.find(account, code).map(RecoveryCodeCheck::found);
                        }))
                .flatMap(check -> {
                    if (check.refusal() != null) {
                        return Uni.createFrom().item(check.refusal());
                    }
                    if (check.code()
                            .filter(RecoveryCodeService.StoredCode::used)
                            .isPresent()) {
                        // Like a replayed time step, not counted towards the lockout: whoever sends a used
                        // code knew it, so it is no guess (a double submit, or a concurrent request won).
                        LOG.infof("Recovery code refused for %s: already used", account);
                        return Transactions.inTransaction(() -> usedCodeRefused(account, origin));
                    }
                    Uni<Boolean> matches = check.code().isEmpty()
                            ? Uni.createFrom().item(false)
                            : recoveryCodes.matches(account, check.code().get(), code);
                    return matches.flatMap(matched -> Transactions.inTransaction(() -> matched
                            ? redeem(account, check.code().get(), now, origin)
                            : lockout.failed(account, detail(Method.RECOVERY_CODE), now, origin)));
                });
    }

    private Uni<Outcome<Integer>> usedCodeRefused(AccountId account, EventOrigin origin) {
        return events.record(account, SecurityEventType.VERIFY_FAILED, origin, detail(Method.RECOVERY_CODE))
                .replaceWith(Outcome.<Integer>invalidCode());
    }

    /** What the read before a recovery code's Argon2 check found: a refusal, or the row to check (if any). */
    private record RecoveryCodeCheck(Outcome<Integer> refusal, Optional<RecoveryCodeService.StoredCode> code) {

        static RecoveryCodeCheck refused(Outcome<Integer> refusal) {
            return new RecoveryCodeCheck(refusal, Optional.empty());
        }

        static RecoveryCodeCheck found(Optional<RecoveryCodeService.StoredCode> code) {
            return new RecoveryCodeCheck(null, code);
        }
    }

    private Uni<Outcome<Integer>> redeem(
            AccountId account, RecoveryCodeService.StoredCode code, Instant now, EventOrigin origin) {
        return factors.lock(account.value()).flatMap(gate -> {
            if (!gate.enabled()) {
                return Uni.createFrom().item(Outcome.<Integer>notEnabled());
            }
            if (gate.lockedAt(now)) {
                LOG.infof("Recovery code of %s not used: a lockout began while it was being checked", account);
                return Uni.createFrom()
                        .item(VerificationLockout.locked(
                                account, gate.lockedUntil().orElseThrow(), now));
            }
            return recoveryCodes.burn(account, code).flatMap(redeemed -> {
                if (redeemed.isEmpty()) {
                    LOG.infof("Recovery code refused for %s: a concurrent request used it first", account);
                    return usedCodeRefused(account, origin);
                }
                int remaining = redeemed.getAsInt();
                Map<String, String> left = Map.of("remaining", Integer.toString(remaining));
                return factors.clearFailures(account.value())
                        .call(() -> events.record(
                                account, SecurityEventType.VERIFY_SUCCEEDED, origin, detail(Method.RECOVERY_CODE)))
                        .call(() -> events.record(account, SecurityEventType.RECOVERY_CODE_USED, origin, left))
                        .call(() -> remaining <= LOW_RECOVERY_CODES
                                ? events.record(account, SecurityEventType.RECOVERY_CODES_LOW, origin, left)
                                : Uni.createFrom().voidItem())
                        .replaceWith(Outcome.ok(remaining));
            });
        });
    }

    private static Map<String, String> detail(Method method) {
        return Map.of("method", method.slug());
    }
}
