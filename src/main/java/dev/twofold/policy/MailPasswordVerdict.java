package dev.twofold.policy;

/** Whether a domain policy lets an account without two-factor authentication use its primary password for mail. */
public enum MailPasswordVerdict {
    ALLOWED,
    /** The enrollment deadline has passed: decide as if two-factor authentication were on. */
    TWO_FACTOR_REQUIRED,
    /** {@code mailPassword: never}: app passcodes only. */
    PASSCODE_REQUIRED
}
