package dev.twofold.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Allows at most {@code limit} failures per {@code window} for each key, as a token bucket: a key
 * starts with {@code limit} tokens, each failure takes one, and tokens come back continuously at
 * {@code limit / window}. A key without a whole token is blocked until one has come back. Successes
 * cost nothing, so a throttle only ever slows down whoever keeps failing under that key.
 *
 * <p>Per replica and in memory; at most {@code maxKeys} keys are tracked (a bounded Caffeine cache).
 * A key untouched for two windows has refilled (a bucket owes at most one window) and carries no
 * information, so it expires; when full, the cache evicts one key at a time, which only ever gives
 * that key a fresh allowance.
 */
public final class FailureThrottle {

    private final int limit;
    private final double tokensPerMilli;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    public FailureThrottle(int limit, Duration window, int maxKeys, Clock clock) {
        if (limit < 1 || window.isNegative() || window.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("A throttle needs limit >= 1, a positive window and maxKeys >= 1");
        }
        this.limit = limit;
        this.tokensPerMilli = (double) limit / window.toMillis();
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterWrite(window.multipliedBy(2))
                // The throttle's own clock, so that expiry and refill agree (and tests can move time).
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    /** How long {@code key} must wait before its next attempt, or empty if it may try now. */
    public Optional<Duration> blockedFor(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return Optional.empty();
        }
        double tokens = bucket.tokensAt(clock.millis(), limit, tokensPerMilli);
        if (tokens >= 1) {
            return Optional.empty();
        }
        return Optional.of(untilWhole(tokens));
    }

    /** Takes one token from {@code key}. */
    public void recordFailure(String key) {
        long now = clock.millis();
        buckets.asMap().compute(key, (ignored, bucket) -> {
            double tokens = bucket == null ? limit : bucket.tokensAt(now, limit, tokensPerMilli);
            // Never more than one window's worth of debt: blocked callers are not evaluated anyway.
            return new Bucket(Math.max(tokens - 1, -limit), now);
        });
    }

    /**
     * Takes one token from {@code key} if it has a whole one (empty), else takes nothing and says how
     * long until it will have one. Atomic per key: concurrent callers never share the last token.
     */
    public Optional<Duration> tryTake(String key) {
        long now = clock.millis();
        Duration[] wait = new Duration[1];
        buckets.asMap().compute(key, (ignored, bucket) -> {
            double tokens = bucket == null ? limit : bucket.tokensAt(now, limit, tokensPerMilli);
            if (tokens < 1) {
                wait[0] = untilWhole(tokens);
                return bucket;
            }
            return new Bucket(tokens - 1, now);
        });
        return Optional.ofNullable(wait[0]);
    }

    /** How long a bucket holding {@code tokens} takes to hold a whole one again. */
    private Duration untilWhole(double tokens) {
        return Duration.ofMillis((long) Math.ceil((1 - tokens) / tokensPerMilli));
    }

    /** Keys currently tracked. */
    public int size() {
        buckets.cleanUp();
        return Math.toIntExact(buckets.estimatedSize());
    }

    private record Bucket(double tokens, long updatedAtMillis) {

        double tokensAt(long nowMillis, int limit, double tokensPerMilli) {
            long elapsed = Math.max(0, nowMillis - updatedAtMillis);
            return Math.min(limit, tokens + elapsed * tokensPerMilli);
        }
    }
}
