package dev.twofold.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;

@ConfigMapping(prefix = "twofold.token-cache")
interface TokenCacheConfig {

    /**
     * How long a verified bearer token is remembered (never past its {@code exp}); 0 verifies every
     * request. Also how long a change of the IdP's keys may take to reach tokens already seen.
     */
    @WithDefault("60S")
    @DurationMin(message = "must not be negative")
    Duration maxAge();

    /** Tokens remembered at most; the least used go first. 0 turns the cache off. */
    @WithDefault("10000")
    @PositiveOrZero
    int maxEntries();
}
