package dev.twofold.passcode;

import dev.twofold.policy.Policy;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a new passcode of an account may be, given the service-wide limit and the domain policy's
 * {@code allowedProtocols}, {@code maxAppPasscodes} and {@code appPasscodeLifetime}.
 */
record PasscodeBounds(int serviceLimit, Optional<Policy> policy) {

    /** Refuses ({@code policy-violation}) protocols outside the policy's list, or none while it has one. */
    void check(PasscodeRequest request) {
        Optional<Set<String>> allowed = policy.flatMap(Policy::allowedProtocols);
        if (allowed.isEmpty()) {
            return;
        }
        boolean within = request.protocols()
                .filter(asked -> asked.stream().map(MailProtocol::slug).allMatch(allowed.get()::contains))
                .isPresent();
        if (!within) {
            throw new ProblemException(
                    ProblemType.POLICY_VIOLATION,
                    "The domain allows app passcodes only for "
                            + allowed.get().stream().sorted().collect(Collectors.joining(", ")) + ".");
        }
    }

    /** Whether an account with {@code active} passcodes may get another; else the problem to answer. */
    void requireRoom(long active) {
        if (active >= serviceLimit) {
            throw new ProblemException(
                    ProblemType.PASSCODE_LIMIT_REACHED,
                    "The account already has " + serviceLimit + " active app passcodes; revoke one first.");
        }
        Optional<Integer> domainLimit = policy.flatMap(Policy::maxAppPasscodes);
        if (domainLimit.filter(limit -> active >= limit).isPresent()) {
            throw new ProblemException(
                    ProblemType.POLICY_VIOLATION,
                    "The domain allows " + domainLimit.get() + " active app passcodes per account; revoke one first.");
        }
    }

    /** The requested expiry, capped by the policy's lifetime (which also applies when none was asked for). */
    Optional<Instant> expiry(Optional<Instant> requested, Instant now) {
        Optional<Instant> latest = policy.flatMap(Policy::appPasscodeLifetime).map(now::plus);
        if (latest.isEmpty()) {
            return requested;
        }
        return Optional.of(
                requested.filter(asked -> asked.isBefore(latest.get())).orElse(latest.get()));
    }
}
