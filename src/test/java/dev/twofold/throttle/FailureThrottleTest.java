package dev.twofold.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    private Clock clock = Clock.fixed(START, ZoneOffset.UTC);

    @Test
    void keyIsBlockedOnceItUsedItsFailures() {
        FailureThrottle throttle = throttle(3, Duration.ofMinutes(1), 100);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), throttle.blockedFor("k"));
            throttle.recordFailure("k");
        }
        assertEquals(Optional.of(Duration.ofSeconds(20)), throttle.blockedFor("k"));
        assertEquals(Optional.empty(), throttle.blockedFor("other"));
    }

    @Test
    void tryTakeTakesWholeTokensOnlyAndSaysHowLongToWait() {
        FailureThrottle throttle = throttle(2, Duration.ofMinutes(1), 100);

        assertEquals(Optional.empty(), throttle.tryTake("k"));
        assertEquals(Optional.empty(), throttle.tryTake("k"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), throttle.tryTake("k"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), throttle.tryTake("k"), "a refusal takes nothing");
        advance(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), throttle.tryTake("k"));
    }

    @Test
    void failuresComeBackContinuously() {
        FailureThrottle throttle = throttle(3, Duration.ofMinutes(1), 100);
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("k");
        }
        advance(Duration.ofSeconds(19));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.blockedFor("k"));
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), throttle.blockedFor("k"));
        throttle.recordFailure("k");
        assertEquals(Optional.of(Duration.ofSeconds(20)), throttle.blockedFor("k"));
    }

    @Test
    void trackedKeysAreBounded() {
        FailureThrottle throttle = throttle(2, Duration.ofMinutes(1), 10);
        for (int i = 0; i < 50; i++) {
            throttle.recordFailure("k" + i);
        }
        assertTrue(throttle.size() <= 10);
    }

    @Test
    void refilledKeysAreForgottenFirst() {
        FailureThrottle throttle = throttle(1, Duration.ofMinutes(1), 2);
        throttle.recordFailure("old");
        advance(Duration.ofMinutes(2));
        throttle.recordFailure("attacker");
        throttle.recordFailure("new");
        assertEquals(2, throttle.size());
        assertTrue(throttle.blockedFor("attacker").isPresent());
    }

    @Test
    void nonsenseSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> throttle(0, Duration.ofMinutes(1), 1));
        assertThrows(IllegalArgumentException.class, () -> throttle(1, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> throttle(1, Duration.ofMinutes(1), 0));
    }

    private FailureThrottle throttle(int limit, Duration window, int maxKeys) {
        return new FailureThrottle(limit, window, maxKeys, new Clock() {
            @Override
            public Instant instant() {
                return clock.instant();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        });
    }

    private void advance(Duration duration) {
        clock = Clock.offset(clock, duration);
    }
}
