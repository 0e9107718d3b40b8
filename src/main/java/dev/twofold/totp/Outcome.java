package dev.twofold.totp;

import dev.twofold.problem.ProblemException;
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
