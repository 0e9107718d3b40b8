package dev.twofold.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A domain's stored policy (the contract's {@code DomainPolicy}).
 *
 * @param twoFactorRequiredSince when two-factor authentication became required; empty while optional
 * @param allowedProtocols protocol slugs new app passcodes may be limited to; empty = any
 */
public record Policy(
        String domain,
        Optional<Instant> twoFactorRequiredSince,
        Duration enrollmentGracePeriod,
        boolean mailPasswordAllowed,
        Optional<Set<String>> allowedProtocols,
        Optional<Integer> maxAppPasscodes,
        Optional<Duration> appPasscodeLifetime,
        Instant updatedAt) {

    public boolean twoFactorRequired() {
        return twoFactorRequiredSince.isPresent();
    }
}
