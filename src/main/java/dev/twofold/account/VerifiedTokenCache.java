package dev.twofold.account;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The JWT parser behind bearer authentication, remembering tokens it has verified.
 *
 * <p>Mail servers present the same token on every login, and verifying its RS256 signature costs
 * more than the rest of a cached login together. A token that verified once is served from memory
 * until it expires or for {@code twofold.token-cache.max-age}, whichever comes first; tokens that
 * fail are never remembered, so each failure is checked afresh. The key is the whole token, so a
 * token altered in any byte misses and is verified. Only {@link #parse(String)}, the call bearer
 * authentication makes, is cached; calls with explicit keys or contexts are one-off checks.
 *
 * <p>Remembered tokens age by the application's {@link Clock}, not a monotonic timer: {@code exp}
 * is a wall-clock instant, and the verifier judges it by the same wall clock.
 */
@Alternative
@Priority(1)
@ApplicationScoped
class VerifiedTokenCache extends DefaultJWTParser {

    private final Clock clock;
    private final Cache<String, JsonWebToken> verified;

    VerifiedTokenCache(
            JWTAuthContextInfo authContext,
            JWTCallerPrincipalFactory principals,
            TokenCacheConfig config,
            Clock clock) {
        super(authContext, principals);
        this.clock = clock;
        long maxAgeNanos = config.maxAge().toNanos();
        this.verified = Caffeine.newBuilder()
                .maximumSize(config.maxEntries())
                .ticker(clockTicker(clock))
                .expireAfter(Expiry.creating((String token, JsonWebToken jwt) -> lifetime(jwt, maxAgeNanos)))
                .build();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        JsonWebToken fresh = super.parse(token);
        verified.put(token, fresh);
        return fresh;
    }

    /** Until {@code exp} (without the clock-skew allowance the verifier grants), at most {@code maxAge}. */
    private Duration lifetime(JsonWebToken jwt, long maxAgeNanos) {
        long untilExpiry = Duration.between(clock.instant(), Instant.ofEpochSecond(jwt.getExpirationTime()))
                .toNanos();
        return Duration.ofNanos(Math.max(0, Math.min(untilExpiry, maxAgeNanos)));
    }

    private static Ticker clockTicker(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
        };
    }
}
