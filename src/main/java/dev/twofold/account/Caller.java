package dev.twofold.account;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as established from the bearer token: an account's owner (through the webmail
 * front-end), an admin tool, or a mail server.
 *
 * @param subject the token's {@code sub}, normalised as an account id when the caller is an owner
 * @param authTime when the owner last typed the password ({@code auth_time}), if the token says
 * @param actor the token's {@code sub} as given, for an admin: recorded in the events of its actions
 * @param domains for an admin whose token carries {@code twofold_domains}: the only domains it reaches
 */
public record Caller(
        Kind kind,
        Optional<AccountId> subject,
        Optional<Instant> authTime,
        Optional<String> actor,
        Optional<Set<String>> domains) {

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

    /** Whether an admin reaches a domain: always unless its token names the domains it may reach. */
    public boolean reaches(Optional<String> domain) {
        return domains.isEmpty() || domain.filter(domains.get()::contains).isPresent();
    }

    public boolean owns(AccountId account) {
        return kind == Kind.OWNER && subject.filter(account::equals).isPresent();
    }
}
