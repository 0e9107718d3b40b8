package dev.twofold.account;

import java.time.Instant;
import java.util.Optional;

/**
 * Who is calling, as established from the bearer token: an account's owner (through the webmail
 * front-end), an admin tool, or a mail server.
 *
 * @param subject the token's {@code sub}, normalised as an account id when the caller is an owner
 * @param authTime when the owner last typed the password ({@code auth_time}), if the token says
 */
public record Caller(Kind kind, Optional<AccountId> subject, Optional<Instant> authTime) {

    public enum Kind {
        OWNER,
        ADMIN,
        MAIL_SERVER
    }

    public boolean isAdmin() {
        return kind == Kind.ADMIN;
    }

    public boolean isMailServer() {
        return kind == Kind.MAIL_SERVER;
    }

    public boolean owns(AccountId account) {
        return kind == Kind.OWNER && subject.filter(account::equals).isPresent();
    }
}
