package dev.twofold.device;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/** Trusted devices ("don't ask again on this computer"). */
@ConfigMapping(prefix = "twofold.trusted-devices")
interface TrustedDeviceConfig {

    /** How long a device stays trusted after the second factor (1 minute to 400 days; Zimbra: 30 days). */
    @WithDefault("30D")
    @DurationMin(minutes = 1, message = "must be at least 1 minute")
    @DurationMax(days = 400, message = "must be at most 400 days")
    Duration lifetime();
}
