package dev.twofold.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * The second-factor assertions Twofold signs for the front-end. The signing key is the standard
 * {@code smallrye.jwt.sign.key.location} (PEM or JWK set).
 */
@ConfigMapping(prefix = "twofold.assertion")
interface AssertionConfig {

    /** How long an assertion is valid after it was issued (at most one hour). */
    @WithDefault("5M")
    @DurationMin(inclusive = false, message = "must be positive")
    @DurationMax(hours = 1, message = "must be at most 1 hour")
    Duration lifetime();

    /** The {@code iss} claim. */
    @WithDefault("twofold")
    String issuer();

    /** The {@code aud} claim: the service that consumes assertions. */
    @WithDefault("webmail")
    String audience();

    /**
     * JWS algorithm (ES256/384/512, RS256/384/512, PS256/384/512 or EdDSA; no HMAC). Unset: inferred
     * from the key, RS256 for an RSA key and ES256 for an EC P-256 key.
     */
    Optional<String> algorithm();
}
