package dev.twofold.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How domain policies are held in memory. */
@ConfigMapping(prefix = "twofold.policies")
interface PolicyConfig {

    /**
     * Longest a replica answers from the domain policies it loaded before reading them again. Changes
     * made through the API apply on every replica before the API answers; this bounds only changes
     * written to the database by hand (without {@code NOTIFY twofold_credentials, 'flush'}).
     */
    @WithDefault("5M")
    Duration cacheTtl();

    /** Most accounts whose first appearance (the start of their grace period) is kept in memory. */
    @WithDefault("100000")
    int firstSeenCacheMaxEntries();
}
