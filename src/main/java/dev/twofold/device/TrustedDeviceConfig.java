package dev.twofold.device;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Trusted devices ("don't ask again on this computer"); checked at boot by {@link TrustedDeviceService}. */
@ConfigMapping(prefix = "twofold.trusted-devices")
interface TrustedDeviceConfig {

    /** How long a device stays trusted after the second factor (1 minute to 400 days; Zimbra: 30 days). */
    @WithDefault("30D")
    Duration lifetime();
}
