package dev.twofold.totp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** TOTP settings; checked at boot by {@link TwoFactorService}. New enrollments use them; a factor keeps its own. */
@ConfigMapping(prefix = "twofold.totp")
interface TotpConfig {

    /** Issuer shown in authenticator apps and used as the label prefix of the Key URI. */
    @WithDefault("Twofold")
    String issuer();

    /** HMAC algorithm of new factors: SHA1 (what every app supports), SHA256 or SHA512. */
    @WithDefault("SHA1")
    HashAlgorithm algorithm();

    /** Digits per code of new factors: 6 or 8. */
    @WithDefault("6")
    int digits();

    /** Time step of new factors, whole seconds, at least 15 s. */
    @WithDefault("30S")
    Duration period();

    /** Steps accepted on either side of the current one (clock drift): 0 to 2. */
    @WithDefault("1")
    int window();

    /** How long a started enrollment may wait for its confirming code. */
    @WithDefault("15M")
    Duration enrollmentTtl();

    /** Brute-force protection of verification (and of confirmation: see {@link #lockout()}). */
    Lockout lockout();

    interface Lockout {

        /** Consecutive wrong codes that lock verification (and discard a pending enrollment). */
        @WithDefault("5")
        int maxFailures();

        /** First lockout; each further one without a success in between doubles it. */
        @WithDefault("1M")
        Duration initial();

        /** Upper bound of the doubling lockout. */
        @WithDefault("1H")
        Duration max();
    }
}
