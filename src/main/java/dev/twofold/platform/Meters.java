package dev.twofold.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The counters and timers of one metric name that differ in one tag (an operation, a result): each
 * variant is registered with the same description, so dashboards see one metric.
 */
public final class Meters {

    private Meters() {}

    public static Counter counter(MeterRegistry registry, String name, String description, String tag, String value) {
        return Counter.builder(name).tag(tag, value).description(description).register(registry);
    }

    public static Timer timer(MeterRegistry registry, String name, String description, String tag, String value) {
        return Timer.builder(name).tag(tag, value).description(description).register(registry);
    }
}
