package dev.twofold.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How domain policies are held in memory. */
@ConfigMapping(prefix = "twofold.policies")
interface PolicyConfig {

    /**
     * How long a replica answers from the domain policies it loaded before reading them again; a change
     * made on another replica applies within this time (the replica that made it applies it at once).
     */
    @WithDefault("10S")
    Duration cacheTtl();

    /** Most accounts whose first appearance (the start of their grace period) is kept in memory. */
    @WithDefault("100000")
    int firstSeenCacheMaxEntries();
}
