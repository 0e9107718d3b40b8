package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.changes.CredentialChangeNotifier;
import dev.twofold.crypto.Base32;
import dev.twofold.crypto.SealedSecret;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.crypto.SecretSealer;
import dev.twofold.platform.Transactions;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.recovery.RecoveryCodeService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Two-phase enrollment: a new seed is pending until a code of it confirms it, which turns two-factor
 * authentication on and issues the first recovery codes.
 *
 * <p>Refusals that must leave a trace (a counted failure) are returned from the transaction as a
 * {@link Outcome} and thrown only after it committed; throwing inside would roll the trace back.
 */
@ApplicationScoped
class EnrollmentService {

    /** A started enrollment: the new seed in every form an authenticator app takes. Shown once. */
    record EnrollmentStarted(
            String secret,
            String manualEntryKey,
            String otpauthUri,
            String qrCodeSvg,
            HashAlgorithm algorithm,
            int digits,
            long periodSeconds,
            String issuer,
            Instant expiresAt) {

        @Override
        public String toString() {
            return "EnrollmentStarted[issuer=" + issuer + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** Two-factor authentication was turned on; the first recovery codes, shown once. */
    record Enabled(Instant enabledAt, List<String> recoveryCodes) {

        @Override
        public String toString() {
            return "Enabled[enabledAt=" + enabledAt + "]";
        }
    }

    private static final Logger LOG = Logger.getLogger(EnrollmentService.class);

    private final TotpFactorRepository factors;
    private final TotpEnrollmentRepository enrollments;
    private final RecoveryCodeService recoveryCodes;
    private final SecurityEventLog events;
    private final SecretGenerator generator;
    private final SecretSealer sealer;
    private final CredentialChangeNotifier credentialChanges;
    private final TotpConfig config;
    private final Clock clock;

    EnrollmentService(
            TotpFactorRepository factors,
            TotpEnrollmentRepository enrollments,
            RecoveryCodeService recoveryCodes,
            SecurityEventLog events,
            SecretGenerator generator,
            SecretSealer sealer,
            CredentialChangeNotifier credentialChanges,
            TotpConfig config,
            Clock clock) {
        this.factors = factors;
        this.enrollments = enrollments;
        this.recoveryCodes = recoveryCodes;
        this.events = events;
        this.generator = generator;
        this.sealer = sealer;
        this.credentialChanges = credentialChanges;
        this.config = config;
        this.clock = clock;
    }

    /** Starts (or restarts, with a new seed) enrollment; refused while two-factor authentication is on. */
    Uni<EnrollmentStarted> enroll(AccountId account) {
        return Transactions.inTransaction(() -> factors.findByAccount(account.value())
                .flatMap(factor -> {
                    if (factor != null) {
                        throw new ProblemException(
                                ProblemType.ALREADY_ENABLED,
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
                        String uri = KeyUri.totp(
                                config.issuer(),
                                account.value(),
                                secret,
                                config.algorithm(),
                                config.digits(),
                                config.period().toSeconds());
                        EnrollmentStarted started = new EnrollmentStarted(
                                secret,
                                KeyUri.grouped(secret),
                                uri,
                                QrCodeSvg.render(uri),
                                config.algorithm(),
                                config.digits(),
                                config.period().toSeconds(),
                                config.issuer(),
                                enrollment.expiresAt);
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
    Uni<Enabled> confirm(AccountId account, String code, EventOrigin origin) {
        Instant now = clock.instant();
        return Transactions.inSession(() -> enrollments
                        .findByAccount(account.value())
                        .flatMap(enrollment -> enrollment == null
                                ? Uni.createFrom().item(new PendingEnrollment(null, false))
                                : factors.findByAccount(account.value())
                                        .map(factor -> new PendingEnrollment(enrollment, factor != null))))
                .flatMap(pending -> confirmChecked(account, pending, code, now, origin))
                .map(Outcome::orThrow);
    }

    /** The enrollment being confirmed (null if none) and whether two-factor authentication is on already. */
    private record PendingEnrollment(TotpEnrollment enrollment, boolean factorExists) {}

    private Uni<Outcome<Enabled>> confirmChecked(
            AccountId account, PendingEnrollment pending, String code, Instant now, EventOrigin origin) {
        TotpEnrollment enrollment = pending.enrollment();
        if (enrollment == null) {
            return Uni.createFrom().item(Outcome.noPendingEnrollment());
        }
        if (!enrollment.expiresAt.isAfter(now) || pending.factorExists()) {
            LOG.debugf(
                    "Confirmation refused for %s: the enrollment expired at %s, or two-factor authentication is"
                            + " already on",
                    account, enrollment.expiresAt);
            return Transactions.inTransaction(() -> enrollments.discard(enrollment))
                    .replaceWith(Outcome.noPendingEnrollment());
        }
        SealedSecret stored = new SealedSecret(enrollment.seedKeyId, enrollment.seedCiphertext);
        byte[] seed = sealer.open(stored, account.value());
        TotpFactor factor;
        try {
            OptionalLong step = TypedCode.matchingStep(
                    seed,
                    code,
                    now,
                    config.window(),
                    HashAlgorithm.valueOf(enrollment.algorithm),
                    enrollment.digits,
                    enrollment.periodSeconds);
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
        return recoveryCodes
                .newSet(account)
                .flatMap(set -> Transactions.inTransaction(() -> enrollments
                        .claim(enrollment, now)
                        .flatMap(claimed -> claimed
                                ? factors.insertIfAbsent(factor)
                                : Uni.createFrom().item(false))
                        .flatMap(enabled -> {
                            if (!enabled) {
                                LOG.debugf(
                                        "Confirmation refused for %s: the enrollment was confirmed, replaced or"
                                                + " expired meanwhile",
                                        account);
                                return Uni.createFrom().item(Outcome.<Enabled>noPendingEnrollment());
                            }
                            return recoveryCodes
                                    .store(account, set)
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
                LOG.debugf(
                        "Confirmation refused for %s: wrong or expired code (%s of %d)",
                        account,
                        failures.map(String::valueOf).orElse("enrollment gone"),
                        config.lockout().maxFailures());
                return Uni.createFrom().item(Outcome.invalidCode());
            }
            LOG.infof(
                    "Confirmation refused for %s: wrong code %d times, enrollment discarded", account, failures.get());
            return enrollments.discard(enrollment).replaceWith(Outcome.invalidCode());
        });
    }
}
