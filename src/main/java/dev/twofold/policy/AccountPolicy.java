package dev.twofold.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * What an account's domain policy asks of it.
 *
 * @param enrollmentDeadline with {@code twoFactorRequired}: after it, the primary password no longer works for mail
 */
public record AccountPolicy(
        boolean twoFactorRequired, Optional<Instant> enrollmentDeadline, boolean mailPasswordAllowed) {

    static AccountPolicy of(Policy policy, Optional<Instant> deadline) {
        return new AccountPolicy(policy.twoFactorRequired(), deadline, policy.mailPasswordAllowed());
    }

    /** For an account without two-factor authentication. */
    MailPasswordVerdict mailPassword(Instant now) {
        if (!mailPasswordAllowed) {
            return MailPasswordVerdict.PASSCODE_REQUIRED;
        }
        return enrollmentDeadline.filter(now::isAfter).isPresent()
                ? MailPasswordVerdict.TWO_FACTOR_REQUIRED
                : MailPasswordVerdict.ALLOWED;
    }
}
