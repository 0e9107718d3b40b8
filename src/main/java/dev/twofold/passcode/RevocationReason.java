package dev.twofold.passcode;

/** Why a passcode was revoked ({@code app_passcode.revoked_reason}); the login path reports "expired" ones as expired. */
enum RevocationReason {
    REVOKED("revoked"),
    REVOKE_ALL("revoke-all"),
    PASSWORD_CHANGE("password-change"),
    EXPIRED("expired");

    private final String slug;

    RevocationReason(String slug) {
        this.slug = slug;
    }

    String slug() {
        return slug;
    }
}
