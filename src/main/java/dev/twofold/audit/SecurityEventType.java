package dev.twofold.audit;

/** What happened to an account's security; the slugs are the public {@code SecurityEventType} values. */
public enum SecurityEventType {
    TWO_FACTOR_ENABLED("two-factor-enabled"),
    TWO_FACTOR_DISABLED("two-factor-disabled"),
    TWO_FACTOR_RESET("two-factor-reset"),
    VERIFY_SUCCEEDED("verify-succeeded"),
    VERIFY_FAILED("verify-failed"),
    LOCKOUT("lockout"),
    RECOVERY_CODE_USED("recovery-code-used"),
    RECOVERY_CODES_REGENERATED("recovery-codes-regenerated"),
    RECOVERY_CODES_LOW("recovery-codes-low"),
    PASSCODE_CREATED("passcode-created"),
    PASSCODE_RENAMED("passcode-renamed"),
    PASSCODE_REVOKED("passcode-revoked"),
    PASSCODE_EXPIRED("passcode-expired"),
    PASSCODE_NEW_IP("passcode-new-ip"),
    TRUSTED_DEVICE_ADDED("trusted-device-added"),
    TRUSTED_DEVICE_USED("trusted-device-used"),
    TRUSTED_DEVICE_REVOKED("trusted-device-revoked"),
    WEBMAIL_PASSWORD_LOGIN("webmail-password-login"),
    ACCOUNT_IMPORTED("account-imported");

    private final String slug;

    SecurityEventType(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }

    public static SecurityEventType ofSlug(String slug) {
        for (SecurityEventType type : values()) {
            if (type.slug.equals(slug)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown security event type");
    }
}
