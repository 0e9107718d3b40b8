package dev.twofold.totp;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/** A TOTP code as a person typed it, checked against a seed. */
final class TypedCode {

    private TypedCode() {}

    /** The time step within {@code window} steps of {@code now} whose code {@code typed} is, if any. */
    static OptionalLong matchingStep(
            byte[] seed,
            String typed,
            Instant now,
            int window,
            HashAlgorithm algorithm,
            int digits,
            int periodSeconds) {
        Duration period = Duration.ofSeconds(periodSeconds);
        // Spaces are ignored ("123 456"); anything else that is not a digit fails the match.
        String compact = typed.replace(" ", "");
        return Totp.matchingStep(seed, compact, Totp.timeStep(now, period), window, digits, algorithm);
    }
}
