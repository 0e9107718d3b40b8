package dev.twofold.totp;

import dev.twofold.account.AccountId;
import dev.twofold.api.model.TotpAlgorithm;
import dev.twofold.api.model.TotpEnrollmentExport;
import dev.twofold.api.model.TotpExport;
import dev.twofold.api.model.TotpFactorExport;
import dev.twofold.platform.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** The account's TOTP settings for its export: the rows' parameters and times, never the sealed seed. */
@ApplicationScoped
public class TotpExports {

    private final TotpFactorRepository factors;
    private final TotpEnrollmentRepository enrollments;

    TotpExports(TotpFactorRepository factors, TotpEnrollmentRepository enrollments) {
        this.factors = factors;
        this.enrollments = enrollments;
    }

    public Uni<TotpExport> export(AccountId account) {
        return Transactions.inSession(() -> factors.findByAccount(account.value())
                .flatMap(factor -> enrollments
                        .findByAccount(account.value())
                        .map(enrollment -> new TotpExport()
                                .factor(factor == null ? null : factorOf(factor))
                                .pendingEnrollment(enrollment == null ? null : enrollmentOf(enrollment)))));
    }

    private static TotpFactorExport factorOf(TotpFactor factor) {
        return new TotpFactorExport()
                .algorithm(TotpAlgorithm.fromValue(factor.algorithm))
                .digits((int) factor.digits)
                .period(factor.periodSeconds)
                .enabledAt(factor.enabledAt)
                // An imported factor may not have accepted any step yet (step 0).
                .lastAcceptedStepAt(
                        factor.lastStep > 0 ? Instant.ofEpochSecond(factor.lastStep * factor.periodSeconds) : null);
    }

    private static TotpEnrollmentExport enrollmentOf(TotpEnrollment enrollment) {
        return new TotpEnrollmentExport().startedAt(enrollment.createdAt).expiresAt(enrollment.expiresAt);
    }
}
