package dev.twofold.bench;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Switch for the benchmark floor endpoints; read at start, off unless set explicitly. */
@ConfigMapping(prefix = "twofold.bench.floors")
interface FloorsConfig {

    /** Serve {@code /bench/floors/*} on loopback (benchmark runs only; a WARN is logged at start). */
    @WithDefault("false")
    boolean enabled();
}
