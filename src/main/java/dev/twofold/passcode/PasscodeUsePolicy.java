package dev.twofold.passcode;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How app passcode use is judged and recorded; shared by the login path and the passcode feature. */
@ConfigMapping(prefix = "twofold.app-passcodes")
public interface PasscodeUsePolicy {

    /** Passcodes unused (since their last use, or creation) for longer than this expire by themselves; unset = never. */
    Optional<Duration> unusedExpiry();

    /** Last use is written at most once per passcode and replica within this time (and at once from a new client IP). */
    @WithDefault("1M")
    Duration lastUseResolution();

    /** Whether a passcode last active at {@code lastActivity} (last use, or creation) has expired by being unused. */
    default boolean unusedTooLong(Instant lastActivity, Instant now) {
        return unusedExpiry()
                .filter(limit -> !lastActivity.plus(limit).isAfter(now))
                .isPresent();
    }

    /** Passcodes last active at or before this instant have expired unused; empty when unused expiry is off. */
    default Optional<Instant> unusedCutoff(Instant now) {
        return unusedExpiry().map(now::minus);
    }
}
