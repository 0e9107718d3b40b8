package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.passcode.MailProtocol;
import java.util.Objects;
import java.util.Optional;

/**
 * A login a mail server wants decided: what the client presented, as the mail server saw it.
 *
 * @param account the login name, normalised ({@link AccountId#of})
 * @param secret the password the client typed: an app passcode or the primary password; never logged
 * @param protocol a {@link MailProtocol} slug ({@code imap}, {@code smtp}...); an unknown one is refused
 * @param clientIp the mail client's IP address literal, when known (scope check and throttling)
 * @param clientName the client's self-description (IMAP ID, EHLO name), for logs only
 */
public record MailLogin(
        AccountId account, String secret, String protocol, Optional<String> clientIp, Optional<String> clientName) {

    public MailLogin {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(clientName, "clientName");
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "MailLogin[account=" + account + ", protocol=" + protocol + ", clientIp=" + clientIp.orElse("-") + "]";
    }
}
