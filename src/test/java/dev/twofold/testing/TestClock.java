package dev.twofold.testing;

import io.quarkus.test.Mock;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replaces the application's clock in {@code @QuarkusTest}s. It follows real time until a test
 * {@link #fix fixes} it; {@link #reset} returns to real time.
 */
@Mock
@Singleton
public class TestClock extends Clock {

    // Static so that token fixtures can read the service's time without CDI: a sign-in "just now"
    // must be now by the clock the step-up check uses, not ahead of a clock a test fixed earlier.
    private static final AtomicReference<Instant> fixed = new AtomicReference<>();

    /** The service's current time in this test: the fixed instant, or real time. */
    public static Instant serviceNow() {
        Instant current = fixed.get();
        return current == null ? Instant.now() : current;
    }

    public void fix(Instant instant) {
        fixed.set(instant);
    }

    public void advance(Duration duration) {
        fixed.updateAndGet(current -> (current == null ? Instant.now() : current).plus(duration));
    }

    public void reset() {
        fixed.set(null);
    }

    @Override
    public Instant instant() {
        return serviceNow();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("Twofold works in UTC only");
    }
}
