package dev.twofold.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long the audit trail is kept; checked at boot by {@link SecurityEventPurge}. */
@ConfigMapping(prefix = "twofold.events")
interface EventsConfig {

    /** Events older than this are deleted (at least one day). */
    @WithDefault("180D")
    Duration retention();

    /** How often each replica runs the purge (only one of them does the work at a time). */
    @WithDefault("1H")
    Duration purgeInterval();

    /** Rows deleted per transaction while purging (1 to 100000). */
    @WithDefault("1000")
    int purgeBatchSize();
}
