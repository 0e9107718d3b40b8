package dev.twofold.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** Argon2id cost and the bounded pool it runs on; unsafe or impossible values stop the boot. */
@ConfigMapping(prefix = "twofold.argon2")
interface Argon2Config {

    /** Memory per evaluation in KiB (at least 8192; default 19 MiB, OWASP's Argon2id baseline). */
    @WithDefault("19456")
    @Min(8192)
    @Max(4 * 1024 * 1024)
    int memoryKib();

    /** Passes over memory (at least 1). */
    @WithDefault("2")
    @Positive
    int iterations();

    /** Lanes per evaluation (1 to 16). */
    @WithDefault("1")
    @Positive
    @Max(16)
    int parallelism();

    /** Concurrent evaluations (worker threads); each holds memory-kib of native memory. */
    @WithDefault("2")
    @Positive
    int poolSize();

    /** Evaluations that may wait for a free worker before new ones are shed with 503 (at least 0). */
    @WithDefault("32")
    @PositiveOrZero
    int maxQueue();
}
