package dev.twofold.platform;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Starts the scheduled jobs (event purge, webhook delivery, passcode expiry) only once start-up has
 * succeeded. The scheduler would otherwise start first ({@code quarkus.scheduler.start-mode=halted}
 * keeps it from doing so) and fire jobs while {@code @Startup} beans are still being checked; when one
 * of them refused the configuration, those jobs ran into a half-built application and logged
 * NullPointerExceptions over the real error.
 */
@Singleton
class ScheduledJobsStart {

    /** After every other start-up observer, including every {@code @Startup} bean (default priority 2500). */
    static final int AFTER_STARTUP = Integer.MAX_VALUE;

    void resume(@Observes @Priority(AFTER_STARTUP) StartupEvent event, Scheduler scheduler) {
        // With quarkus.scheduler.enabled=false there is nothing to resume (and resume() would throw).
        if (scheduler.isStarted()) {
            scheduler.resume();
        }
    }
}
