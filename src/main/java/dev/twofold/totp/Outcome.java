package dev.twofold.totp;

import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The result of a use case that may be refused: the value, or the problem to report once the
 * transaction that recorded the refusal has committed.
 */
final class Outcome<T> {

    private final T value;
    private final ProblemException problem;

    private Outcome(T value, ProblemException problem) {
        this.value = value;
        this.problem = problem;
    }

    static <T> Outcome<T> ok(T value) {
        return new Outcome<>(value, null);
    }

    static <T> Outcome<T> refused(ProblemException problem) {
        return new Outcome<>(null, problem);
    }

    static <T> Outcome<T> notEnabled() {
        return refused(new ProblemException(
                ProblemType.TWO_FACTOR_NOT_ENABLED, "Two-factor authentication is not enabled for this account."));
    }

    /** Every refusal of a code (wrong, replayed, expired) is this one; the log says which. */
    static <T> Outcome<T> invalidCode() {
        return refused(new ProblemException(ProblemType.INVALID_CODE, "The code is not valid."));
    }

    static <T> Outcome<T> noPendingEnrollment() {
        return refused(new ProblemException(
                ProblemType.NO_PENDING_ENROLLMENT,
                "Start the enrollment again; the pending one expired or does not exist."));
    }

    static <T> Outcome<T> tooManyAttempts(Instant lockedUntil, Instant now) {
        return refused(new ProblemException(
                ProblemType.TOO_MANY_ATTEMPTS,
                "Too many failed codes; try again later.",
                Duration.between(now, lockedUntil)));
    }

    Optional<ProblemException> problem() {
        return Optional.ofNullable(problem);
    }

    /** The value, or the refusal thrown. */
    T orThrow() {
        if (problem != null) {
            throw problem;
        }
        return value;
    }
}
