package dev.twofold.mailauth;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The answer to a {@link MailLogin}. With {@link Decision#ACCEPT} the credential that matched is
 * named; with {@link Decision#REJECT} the reason is given, for the mail server's log only (never show
 * it to the client).
 */
public record MailLoginResult(
        Decision decision, Optional<UUID> credentialId, Optional<String> credentialName, Optional<String> reason) {

    public enum Decision {
        /** An active app passcode of this account, allowed for this protocol and client IP. */
        ACCEPT,
        /** Refuse the login. */
        REJECT,
        /** Two-factor authentication is off and the secret is no passcode: check the primary password. */
        USE_PASSWORD
    }

    /** Reject reasons (the contract's {@code MailLoginDecision.reason}). */
    public static final String UNKNOWN_SECRET = "unknown-secret";

    public static final String REVOKED = "revoked";
    public static final String PROTOCOL_NOT_ALLOWED = "protocol-not-allowed";
    public static final String IP_NOT_ALLOWED = "ip-not-allowed";
    public static final String EXPIRED = "expired";
    public static final String TWO_FACTOR_REQUIRED = "two-factor-required";
    /** The domain policy refuses the primary password for mail protocols ({@code mailPassword: never}). */
    public static final String PASSCODE_REQUIRED = "passcode-required";
    /** With {@link Decision#USE_PASSWORD}: 2FA is on, but the login comes from the webmail ({@link WebmailNetworks}). */
    public static final String WEBMAIL = "webmail";

    public MailLoginResult {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(credentialName, "credentialName");
        Objects.requireNonNull(reason, "reason");
    }

    public static MailLoginResult accept(UUID credentialId, String credentialName) {
        return new MailLoginResult(
                Decision.ACCEPT, Optional.of(credentialId), Optional.of(credentialName), Optional.empty());
    }

    public static MailLoginResult reject(String reason) {
        return new MailLoginResult(Decision.REJECT, Optional.empty(), Optional.empty(), Optional.of(reason));
    }

    public static MailLoginResult usePassword() {
        return new MailLoginResult(Decision.USE_PASSWORD, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static MailLoginResult usePasswordFromWebmail() {
        return new MailLoginResult(Decision.USE_PASSWORD, Optional.empty(), Optional.empty(), Optional.of(WEBMAIL));
    }
}
