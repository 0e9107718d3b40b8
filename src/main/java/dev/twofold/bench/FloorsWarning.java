package dev.twofold.bench;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Makes enabled benchmark floors impossible to miss in the log. */
class FloorsWarning {

    private static final Logger LOG = Logger.getLogger(FloorsWarning.class);

    void onStart(@Observes StartupEvent event, FloorsConfig config) {
        if (config.enabled()) {
            LOG.warn("Benchmark floor endpoints /bench/floors/* are ENABLED (twofold.bench.floors.enabled=true)."
                    + " They exist for bench/run.sh only: never enable them in production.");
        }
    }
}
