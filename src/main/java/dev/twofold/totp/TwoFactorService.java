package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.crypto.AssertionIssuer;
import dev.twofold.platform.Transactions;
import dev.twofold.device.TrustedDeviceService;
import dev.twofold.mailauth.CredentialChangeNotifier;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.crypto.Base32;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.crypto.SecretSealer;
import dev.twofold.passcode.AppPasscodeService;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.recovery.RecoveryCodeService;
import dev.twofold.recovery.RecoveryCodeService.IssuedRecoveryCodes;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * The TOTP second factor: enrollment, confirmation, verification at sign-in (TOTP or recovery
 * code), recovery-code regeneration and disabling.
 *
 * <p>Refusals that must leave a trace (a counted failure, a lockout, an audit event) are returned
 * from the transaction as a {@link Outcome} and thrown only after it committed; throwing inside
 * would roll the trace back. No transaction is open while Argon2 runs: use cases that hash read
 * first, hash, then re-check what they read in a short transaction of conditional writes.
 */
@ApplicationScoped
@Startup
public class TwoFactorService {

    /** How a verification was satisfied: the public method name and the assertion's {@code amr} value. */
    public enum Method {
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

    /** A started enrollment: the new seed in every form an authenticator app takes. Shown once. */
    public record EnrollmentStarted(String secret, String manualEntryKey, String otpauthUri, String qrCodeSvg,
            HashAlgorithm algorithm, int digits, long periodSeconds, String issuer, Instant expiresAt) {

        @Override
        public String toString() {
            return "EnrollmentStarted[issuer=" + issuer + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** Two-factor authentication was turned on; the first recovery codes, shown once. */
    public record Enabled(Instant enabledAt, List<String> recoveryCodes) {

        @Override
        public String toString() {
            return "Enabled[enabledAt=" + enabledAt + "]";
        }
    }

    /** A successful verification. */
    public record Verified(Method method, Instant verifiedAt, int recoveryCodesRemaining, String assertion) {

        @Override
        public String toString() {
            return "Verified[method=" + method + ", verifiedAt=" + verifiedAt + "]";
        }
    }

    static final int MAX_WINDOW = 2;
    static final Duration MIN_PERIOD = Duration.ofSeconds(15);
    /** With this many recovery codes left (or fewer) after a use, the account gets a warning event. */
    static final int LOW_RECOVERY_CODES = 3;

    private static final Logger LOG = Logger.getLogger(TwoFactorService.class);

    private final TotpFactorRepository factors;
    private final TotpSignInStore signIns;
    private final TotpEnrollmentRepository enrollments;
    private final RecoveryCodeService recoveryCodes;
    private final AppPasscodeService appPasscodes;
    private final SecurityEventLog events;
    private final SecretGenerator generator;
    private final SecretSealer sealer;
    private final SeedRotationService rotation;
    private final AssertionIssuer assertions;
    private final TrustedDeviceService devices;
    private final CredentialChangeNotifier credentialChanges;
    private final TotpConfig config;
    private final MeterRegistry registry;
    private final Clock clock;

    TwoFactorService(
            TotpFactorRepository factors,
            TotpSignInStore signIns,
            TotpEnrollmentRepository enrollments,
            RecoveryCodeService recoveryCodes,
            AppPasscodeService appPasscodes,
            SecurityEventLog events,
            SecretGenerator generator,
            SecretSealer sealer,
            SeedRotationService rotation,
            AssertionIssuer assertions,
            TrustedDeviceService devices,
            CredentialChangeNotifier credentialChanges,
            TotpConfig config,
            MeterRegistry registry,
            Clock clock) {
        this.factors = factors;
        this.signIns = signIns;
        this.enrollments = enrollments;
        this.recoveryCodes = recoveryCodes;
        this.appPasscodes = appPasscodes;
        this.events = events;
        this.generator = generator;
        this.sealer = sealer;
        this.rotation = rotation;
        this.assertions = assertions;
        this.devices = devices;
        this.credentialChanges = credentialChanges;
        this.config = validated(config);
        this.registry = registry;
        this.clock = clock;
    }

    public Uni<TwoFactorState> state(AccountId account) {
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

    /** Starts (or restarts, with a new seed) enrollment; refused while two-factor authentication is on. */
    public Uni<EnrollmentStarted> enroll(AccountId account) {
        return Transactions.inTransaction(() -> factors.findByAccount(account.value()).flatMap(factor -> {
            if (factor != null) {
                throw new ProblemException(ProblemType.ALREADY_ENABLED,
                        "Two-factor authentication is already on; disable it before enrolling a new authenticator.");
            }
            Instant now = clock.instant();
            byte[] seed = generator.totpSeed();
            try {
                SealedSecret sealed = sealer.seal(seed, account.value());
                TotpEnrollment enrollment = new TotpEnrollment();
                enrollment.accountId = account.value();
                enrollment.seedCiphertext = sealed.ciphertext();
                enrollment.seedKeyId = sealed.keyId();
                enrollment.algorithm = config.algorithm().name();
                enrollment.digits = (short) config.digits();
                enrollment.periodSeconds = (int) config.period().toSeconds();
                enrollment.createdAt = now;
                enrollment.expiresAt = now.plus(config.enrollmentTtl());
                String secret = Base32.encode(seed);
                String uri = KeyUri.totp(config.issuer(), account.value(), secret, config.algorithm(),
                        config.digits(), config.period().toSeconds());
                EnrollmentStarted started = new EnrollmentStarted(secret, KeyUri.grouped(secret), uri,
                        QrCodeSvg.render(uri), config.algorithm(), config.digits(), config.period().toSeconds(),
                        config.issuer(), enrollment.expiresAt);
                return enrollments.replace(enrollment).replaceWith(started);
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
        }));
    }

    /**
     * Turns two-factor authentication on with a code of the pending seed and issues the first
     * recovery codes. The code's time step counts as used. After {@code lockout.max-failures} wrong
     * codes the enrollment is discarded, so guessing needs a new (step-up) enrollment every few tries.
     *
     * <p>Read, check and hash outside any transaction (the recovery codes' Argon2 hashes take long
     * and may wait for the pool), then one short transaction claims the enrollment (only if it is
     * still the one checked, unexpired) and stores the factor: of concurrent confirmations one wins.
     */
    public Uni<Enabled> confirm(AccountId account, String code, EventOrigin origin) {
        Instant now = clock.instant();
        return Transactions.inSession(() -> enrollments.findByAccount(account.value())
                        .flatMap(enrollment -> enrollment == null
                                ? Uni.createFrom().item(new PendingEnrollment(null, false))
                                : factors.findByAccount(account.value())
                                        .map(factor -> new PendingEnrollment(enrollment, factor != null))))
                .flatMap(pending -> confirmChecked(account, pending, code, now, origin))
                .map(Outcome::orThrow);
    }

    /** The enrollment being confirmed (null if none) and whether two-factor authentication is on already. */
    private record PendingEnrollment(TotpEnrollment enrollment, boolean factorExists) {
    }

    private Uni<Outcome<Enabled>> confirmChecked(AccountId account, PendingEnrollment pending, String code,
            Instant now, EventOrigin origin) {
        TotpEnrollment enrollment = pending.enrollment();
        if (enrollment == null) {
            return Uni.createFrom().item(noPendingEnrollment());
        }
        if (!enrollment.expiresAt.isAfter(now) || pending.factorExists()) {
            LOG.debugf("Confirmation refused for %s: the enrollment expired at %s, or two-factor authentication is"
                    + " already on", account, enrollment.expiresAt);
            return Transactions.inTransaction(() -> enrollments.discard(enrollment)).replaceWith(noPendingEnrollment());
        }
        SealedSecret stored = new SealedSecret(enrollment.seedKeyId, enrollment.seedCiphertext);
        byte[] seed = sealer.open(stored, account.value());
        TotpFactor factor;
        try {
            OptionalLong step = matchingStep(seed, code, now, HashAlgorithm.valueOf(enrollment.algorithm),
                    enrollment.digits, enrollment.periodSeconds);
            if (step.isEmpty()) {
                return Transactions.inTransaction(() -> confirmationFailed(account, enrollment));
            }
            SealedSecret sealed = sealer.isSealedWithActiveKey(stored) ? stored : sealer.seal(seed, account.value());
            factor = new TotpFactor();
            factor.accountId = account.value();
            factor.seedCiphertext = sealed.ciphertext();
            factor.seedKeyId = sealed.keyId();
            factor.algorithm = enrollment.algorithm;
            factor.digits = enrollment.digits;
            factor.periodSeconds = enrollment.periodSeconds;
            factor.enabledAt = now;
            // The confirming code is spent: it must not also pass as a sign-in.
            factor.lastStep = step.getAsLong();
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
        return recoveryCodes.newSet(account)
                .flatMap(set -> Transactions.inTransaction(() -> enrollments.claim(enrollment, now)
                        .flatMap(claimed -> claimed
                                ? factors.insertIfAbsent(factor)
                                : Uni.createFrom().item(false))
                        .flatMap(enabled -> {
                            if (!enabled) {
                                LOG.debugf("Confirmation refused for %s: the enrollment was confirmed, replaced or"
                                        + " expired meanwhile", account);
                                return Uni.createFrom().item(TwoFactorService.<Enabled>noPendingEnrollment());
                            }
                            return recoveryCodes.store(account, set)
                                    .call(() -> events.record(account, SecurityEventType.TWO_FACTOR_ENABLED, origin))
                                    // From now on mail logins must not fall back to the password, on every replica.
                                    .call(() -> credentialChanges.twoFactorChanged(account))
                                    .map(issued -> Outcome.ok(new Enabled(now, issued.codes())));
                        })));
    }

    private Uni<Outcome<Enabled>> confirmationFailed(AccountId account, TotpEnrollment enrollment) {
        // One conditional statement counts, so concurrent wrong codes cannot share a count.
        return enrollments.countFailure(enrollment).flatMap(failures -> {
            if (failures.isEmpty() || failures.get() < config.lockout().maxFailures()) {
                LOG.debugf("Confirmation refused for %s: wrong or expired code (%s of %d)", account,
                        failures.map(String::valueOf).orElse("enrollment gone"), config.lockout().maxFailures());
                return Uni.createFrom().item(invalidCode());
            }
            LOG.infof("Confirmation refused for %s: wrong code %d times, enrollment discarded", account, failures.get());
            return enrollments.discard(enrollment).replaceWith(invalidCode());
        });
    }

    /**
     * Checks the code typed at sign-in: a TOTP code (each time step accepted once) or a recovery
     * code (each code once), told apart by their form. Every refusal of a code is the same
     * {@code invalid-code}; the log says why.
     */
    public Uni<Verified> verify(AccountId account, String code, EventOrigin origin) {
        Method method = recoveryCodes.isRecoveryCode(code) ? Method.RECOVERY_CODE : Method.TOTP;
        Instant now = clock.instant();
        Uni<Outcome<Integer>> outcome = method == Method.TOTP
                ? verifyTotp(account, code, now, origin)
                : verifyRecoveryCode(account, code, now, origin);
        return outcome
                .invoke(result -> countVerification(method, result))
                .map(Outcome::orThrow)
                .map(remaining -> new Verified(method, now, remaining, assertions.issue(account, method.amr())));
    }

    /** The common case, a right code, costs one read and one write (see {@link TotpSignInStore}). */
    private Uni<Outcome<Integer>> verifyTotp(AccountId account, String code, Instant now, EventOrigin origin) {
        return signIns.find(account).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(notEnabled());
            }
            TotpSignInStore.SignInFactor factor = found.get();
            if (factor.lockedUntil().filter(until -> until.isAfter(now)).isPresent()) {
                return Uni.createFrom().item(locked(account, factor.lockedUntil().get(), now));
            }
            byte[] seed = sealer.open(factor.seed(), account.value());
            try {
                OptionalLong step = matchingStep(seed, code, now, factor.algorithm(), factor.digits(),
                        factor.periodSeconds());
                if (step.isEmpty()) {
                    LOG.debugf("Verification refused for %s: no time step in the window matches (wrong or expired"
                            + " code)", account);
                    return Transactions.inTransaction(() -> verificationFailed(account, Method.TOTP, now, origin));
                }
                // Sealed while the plain seed is still at hand; written only once the step is accepted.
                Uni<Void> reseal = rotation.resealIfStale(SeedRotationService.SeedTable.FACTOR, account.value(),
                        factor.seed(), seed);
                SecurityEventLog.EventRows success = events.rowsFor(factor.eventId(), account,
                        SecurityEventType.VERIFY_SUCCEEDED, origin, detail(Method.TOTP));
                return signIns.acceptStep(account, step.getAsLong(), now, success).flatMap(accepted -> {
                    if (!accepted) {
                        // Not counted towards the lockout: a used code is no guess, just a double submit or a replay.
                        LOG.infof("Verification refused for %s: time step %d was already used, or a lockout began"
                                + " meanwhile", account, step.getAsLong());
                        return Transactions.inTransaction(() -> events.record(account,
                                SecurityEventType.VERIFY_FAILED, origin, detail(Method.TOTP))).replaceWith(invalidCode());
                    }
                    return reseal.replaceWith(Outcome.ok(factor.recoveryCodesRemaining()));
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
        return Transactions.inSession(() -> factors.findByAccount(account.value()).flatMap(factor -> {
            if (factor == null) {
                return Uni.createFrom().item(RecoveryCodeCheck.refused(notEnabled()));
            }
            if (factor.lockedUntil != null && factor.lockedUntil.isAfter(now)) {
                return Uni.createFrom().item(RecoveryCodeCheck.refused(locked(account, factor.lockedUntil, now)));
            }
            return recoveryCodes.find(account, code).map(RecoveryCodeCheck::found);
        })).flatMap(check -> {
            if (check.refusal() != null) {
                return Uni.createFrom().item(check.refusal());
            }
            if (check.code().filter(RecoveryCodeService.StoredCode::used).isPresent()) {
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
                    : verificationFailed(account, Method.RECOVERY_CODE, now, origin)));
        });
    }

    private Uni<Outcome<Integer>> usedCodeRefused(AccountId account, EventOrigin origin) {
        return events.record(account, SecurityEventType.VERIFY_FAILED, origin, detail(Method.RECOVERY_CODE))
                .replaceWith(TwoFactorService.<Integer>invalidCode());
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

    private Uni<Outcome<Integer>> redeem(AccountId account, RecoveryCodeService.StoredCode code, Instant now,
            EventOrigin origin) {
        return factors.lock(account.value()).flatMap(gate -> {
            if (!gate.enabled()) {
                return Uni.createFrom().item(TwoFactorService.<Integer>notEnabled());
            }
            if (gate.lockedAt(now)) {
                LOG.infof("Recovery code of %s not used: a lockout began while it was being checked", account);
                return Uni.createFrom().item(locked(account, gate.lockedUntil().orElseThrow(), now));
            }
            return recoveryCodes.burn(account, code).flatMap(redeemed -> {
                if (redeemed.isEmpty()) {
                    LOG.infof("Recovery code refused for %s: a concurrent request used it first", account);
                    return usedCodeRefused(account, origin);
                }
                int remaining = redeemed.getAsInt();
                Map<String, String> left = Map.of("remaining", Integer.toString(remaining));
                return factors.clearFailures(account.value())
                        .call(() -> events.record(account, SecurityEventType.VERIFY_SUCCEEDED, origin,
                                detail(Method.RECOVERY_CODE)))
                        .call(() -> events.record(account, SecurityEventType.RECOVERY_CODE_USED, origin, left))
                        .call(() -> remaining <= LOW_RECOVERY_CODES
                                ? events.record(account, SecurityEventType.RECOVERY_CODES_LOW, origin, left)
                                : Uni.createFrom().voidItem())
                        .replaceWith(Outcome.ok(remaining));
            });
        });
    }

    private Uni<Outcome<Integer>> verificationFailed(AccountId account, Method method, Instant now, EventOrigin origin) {
        return factors.countFailure(account.value(), now, config.lockout()).flatMap(failure -> {
            Uni<Void> recorded = events.record(account, SecurityEventType.VERIFY_FAILED, origin, detail(method));
            if (failure.startedLockout()) {
                Instant until = failure.lockedUntil().orElseThrow();
                LOG.infof("Verification of %s locked until %s after %d failed codes", account, until,
                        config.lockout().maxFailures());
                recorded = recorded.call(() -> events.record(account, SecurityEventType.LOCKOUT, origin,
                        Map.of("lockedUntil", until.toString())));
            }
            return recorded.replaceWith(failure.lockedUntil()
                    .map(until -> Outcome.<Integer>refused(tooManyAttempts(until, now)))
                    .orElseGet(TwoFactorService::invalidCode));
        });
    }

    /**
     * A new set of recovery codes; the old set stops working at once. Limited per account
     * ({@code twofold.recovery-codes.regeneration.*}); hashed outside any transaction.
     */
    public Uni<IssuedRecoveryCodes> regenerateRecoveryCodes(AccountId account, EventOrigin origin) {
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
    public Uni<Void> disable(AccountId account, boolean byAdmin, EventOrigin origin) {
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

    private OptionalLong matchingStep(byte[] seed, String code, Instant now, HashAlgorithm algorithm, int digits,
            int periodSeconds) {
        Duration period = Duration.ofSeconds(periodSeconds);
        // Spaces are ignored ("123 456"); anything else that is not a digit fails the match.
        String compact = code.replace(" ", "");
        return Totp.matchingStep(seed, compact, Totp.timeStep(now, period), config.window(), digits, algorithm);
    }

    private void countVerification(Method method, Outcome<?> outcome) {
        Optional<ProblemException> problem = outcome.problem();
        String result;
        if (problem.isEmpty()) {
            result = "ok";
        } else if (problem.get().type() == ProblemType.INVALID_CODE) {
            result = "invalid";
        } else if (problem.get().type() == ProblemType.TOO_MANY_ATTEMPTS) {
            result = "locked";
        } else {
            return;
        }
        registry.counter("twofold.second.factor.verifications", "outcome", result, "method", method.slug()).increment();
    }

    private static Map<String, String> detail(Method method) {
        return Map.of("method", method.slug());
    }

    private static <T> Outcome<T> notEnabled() {
        return Outcome.refused(new ProblemException(ProblemType.TWO_FACTOR_NOT_ENABLED,
                "Two-factor authentication is not enabled for this account."));
    }

    private static <T> Outcome<T> locked(AccountId account, Instant lockedUntil, Instant now) {
        LOG.debugf("Verification refused for %s: locked until %s", account, lockedUntil);
        return Outcome.refused(tooManyAttempts(lockedUntil, now));
    }

    private static <T> Outcome<T> invalidCode() {
        return Outcome.refused(new ProblemException(ProblemType.INVALID_CODE, "The code is not valid."));
    }

    private static <T> Outcome<T> noPendingEnrollment() {
        return Outcome.refused(new ProblemException(ProblemType.NO_PENDING_ENROLLMENT,
                "Start the enrollment again; the pending one expired or does not exist."));
    }

    private static ProblemException tooManyAttempts(Instant lockedUntil, Instant now) {
        return new ProblemException(ProblemType.TOO_MANY_ATTEMPTS, "Too many failed codes; try again later.",
                Duration.between(now, lockedUntil));
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
