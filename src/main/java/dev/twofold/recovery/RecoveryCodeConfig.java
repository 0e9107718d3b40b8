package dev.twofold.recovery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/** Recovery-code settings. */
// Public because SmallRye Config's Bean Validation pass at boot reads its groups by reflection,
// which a package-private interface refuses.
@ConfigMapping(prefix = "twofold.recovery-codes")
public interface RecoveryCodeConfig {

    /** How often one account may get a new set of recovery codes (each set costs ten Argon2 hashes). */
    Regeneration regeneration();

    interface Regeneration {

        /**
         * New sets per account and window on each replica, counting regenerations and the first set
         * issued when enrollment is confirmed (at least 1); beyond it 429 too-many-attempts.
         */
        @WithDefault("5")
        @Positive
        int limit();

        /** The window over which {@code limit} sets are allowed (the allowance refills evenly). */
        @WithDefault("1H")
        @DurationMin(seconds = 1, message = "must be at least 1 s")
        Duration window();
    }
}
