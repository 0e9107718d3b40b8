package dev.twofold.platform;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The one source of "now": everything time-dependent injects {@link Clock} so tests can fix it. */
class ClockProducer {

    @Produces
    @Singleton
    Clock systemClock() {
        return Clock.systemUTC();
    }
}
