package dev.twofold.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

/** How long the audit trail is kept and how {@link SecurityEventPurge} deletes what is older. */
@ConfigMapping(prefix = "twofold.events")
interface EventsConfig {

    /** Events older than this are deleted (at least one day). */
    @WithDefault("180D")
    @DurationMin(days = 1, message = "must be at least one day")
    Duration retention();

    /** How often each replica runs the purge (only one of them does the work at a time). */
    @WithDefault("1H")
    @DurationMin(inclusive = false, message = "must be positive")
    Duration purgeInterval();

    /** Rows deleted per transaction while purging (1 to 100000). */
    @WithDefault("1000")
    @Positive
    @Max(100_000)
    int purgeBatchSize();
}
