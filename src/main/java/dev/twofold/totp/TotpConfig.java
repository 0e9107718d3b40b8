package dev.twofold.totp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * TOTP settings; insecure or unworkable ones stop the service at boot (Bean Validation of the mapping).
 * New enrollments use them; a factor keeps its own.
 */
// Public because SmallRye Config's Bean Validation pass at boot reads its groups by reflection,
// which a package-private interface refuses.
@ConfigMapping(prefix = "twofold.totp")
public interface TotpConfig {

    /** Issuer shown in authenticator apps and used as the label prefix of the Key URI. */
    @WithDefault("Twofold")
    @NotBlank
    String issuer();

    /** HMAC algorithm of new factors: SHA1 (what every app supports), SHA256 or SHA512. */
    @WithDefault("SHA1")
    HashAlgorithm algorithm();

    /** Digits per code of new factors: 6 or 8. */
    @WithDefault("6")
    int digits();

    /** Time step of new factors, whole seconds, at least 15 s. */
    @WithDefault("30S")
    @DurationMin(seconds = 15, message = "must be at least 15 s")
    Duration period();

    /** Steps accepted on either side of the current one (clock drift): 0 to 2. */
    @WithDefault("1")
    @Min(0)
    @Max(2)
    int window();

    /** How long a started enrollment may wait for its confirming code. */
    @WithDefault("15M")
    @DurationMin(inclusive = false, message = "must be positive")
    Duration enrollmentTtl();

    // Bean Validation has no "one of" or "whole seconds" constraint: these read as checks of the mapping.
    @AssertTrue(message = "twofold.totp.digits must be 6 or 8")
    default boolean isDigitsSixOrEight() {
        return digits() == 6 || digits() == 8;
    }

    @AssertTrue(message = "twofold.totp.period must be whole seconds")
    default boolean isPeriodWholeSeconds() {
        return period().getNano() == 0;
    }

    /** Brute-force protection of verification (and of confirmation: see {@link #lockout()}). */
    Lockout lockout();

    interface Lockout {

        /** Consecutive wrong codes that lock verification (and discard a pending enrollment). */
        @WithDefault("5")
        @Positive
        int maxFailures();

        /** First lockout; each further one without a success in between doubles it. */
        @WithDefault("1M")
        @DurationMin(seconds = 1, message = "must be at least 1 s")
        Duration initial();

        /** Upper bound of the doubling lockout. */
        @WithDefault("1H")
        Duration max();

        @AssertTrue(message = "twofold.totp.lockout.max must not be below twofold.totp.lockout.initial")
        default boolean isMaxNotBelowInitial() {
            return max().compareTo(initial()) >= 0;
        }
    }
}
