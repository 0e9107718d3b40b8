package dev.twofold.changes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** How credential changes reach every replica's login cache ({@link CredentialChanges}). */
@ConfigMapping(prefix = "twofold.mail-auth.propagation")
public interface PropagationConfig {

    /** How often each replica proves its change listener works by notifying itself; caches go unused after 3 missed beats. */
    @WithDefault("1S")
    @DurationMin(millis = 50, message = "must be at least 50 ms")
    Duration heartbeatInterval();

    /** Longest the response to a credential change waits for every live replica to confirm it dropped cached state. */
    @WithDefault("1S")
    @DurationMin(millis = 1, message = "must be at least 1 ms")
    @DurationMax(seconds = 30, message = "must be at most 30 s")
    Duration timeout();
}
