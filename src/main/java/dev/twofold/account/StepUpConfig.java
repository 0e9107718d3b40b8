package dev.twofold.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "twofold.step-up")
interface StepUpConfig {

    /** How recent the user's password sign-in ({@code auth_time}) must be for sensitive changes. */
    @WithDefault("10M")
    Duration maxAge();
}
