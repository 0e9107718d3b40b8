package dev.twofold.totp;

import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * {@code twofold.second.factor.verifications} by outcome ({@code ok}, {@code invalid}, {@code locked})
 * and method; other refusals (not enabled, malformed) are the caller's mistakes, not sign-in attempts.
 */
@ApplicationScoped
class VerificationMetrics {

    private final MeterRegistry registry;

    VerificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(SecondFactorVerifier.Method method, Outcome<?> outcome) {
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
        registry.counter("twofold.second.factor.verifications", "outcome", result, "method", method.slug())
                .increment();
    }
}
