package dev.twofold.account;

import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The authorization rules of DESIGN "Who calls it", in one place. Each resource method names the
 * rule it needs; a token for one account never learns whether another account exists (404).
 */
@ApplicationScoped
public class AccountAccess {

    private final SecurityIdentity identity;
    private final StepUpConfig stepUp;
    private final CallerGroupsConfig groups;
    private final Clock clock;

    AccountAccess(SecurityIdentity identity, StepUpConfig stepUp, CallerGroupsConfig groups, Clock clock) {
        this.identity = identity;
        this.stepUp = stepUp;
        this.groups = groups;
        this.clock = clock;
    }

    /** The account's owner or an admin: reading state and everyday changes. */
    public AccountId ownerOrAdmin(String rawAccountId) {
        AccountId account = AccountId.of(rawAccountId);
        Caller caller = caller();
        if (caller.isAdmin() || caller.owns(account)) {
            return account;
        }
        throw denied(caller);
    }

    /**
     * The owner with a recent password sign-in, or an admin: changes that weaken or reveal a factor
     * (the seeds' "enter the password for your account to continue").
     */
    public AccountId ownerWithRecentSignInOrAdmin(String rawAccountId) {
        AccountId account = ownerOrAdmin(rawAccountId);
        Caller caller = caller();
        if (caller.isAdmin()) {
            return account;
        }
        Instant signedIn = caller.authTime()
                .orElseThrow(() -> reauthenticate("The token carries no auth_time."));
        Duration maxAge = stepUp.maxAge();
        if (signedIn.isBefore(clock.instant().minus(maxAge))) {
            throw reauthenticate("The last password sign-in is older than " + maxAge.toMinutes() + " minutes.");
        }
        return account;
    }

    /** The owner, an admin, or a mail server: checking a second factor at sign-in. */
    public AccountId verifier(String rawAccountId) {
        if (caller().isMailServer()) {
            return AccountId.of(rawAccountId);
        }
        return ownerOrAdmin(rawAccountId);
    }

    /** An admin or a mail server: the mail system's own notices and login checks. */
    public void requireMailSystem() {
        Caller caller = caller();
        if (!caller.isAdmin() && !caller.isMailServer()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This operation is for mail servers and admin tools.");
        }
    }

    /** An admin only: operations across all accounts. */
    public void requireAdmin() {
        if (!caller().isAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This operation is for admin tools.");
        }
    }

    public Caller caller() {
        if (identity.isAnonymous()) {
            throw new ProblemException(ProblemType.AUTHENTICATION_REQUIRED, "A bearer token is required.");
        }
        if (identity.hasRole(groups.admin())) {
            return new Caller(Caller.Kind.ADMIN, Optional.empty(), Optional.empty());
        }
        if (identity.hasRole(groups.mailServer())) {
            return new Caller(Caller.Kind.MAIL_SERVER, Optional.empty(), Optional.empty());
        }
        JsonWebToken token = (JsonWebToken) identity.getPrincipal();
        Optional<AccountId> subject = Optional.ofNullable(token.getSubject()).map(AccountId::of);
        Optional<Instant> authTime = Optional.ofNullable(token.<Object>getClaim("auth_time"))
                .map(AccountAccess::epochSeconds)
                .map(Instant::ofEpochSecond);
        return new Caller(Caller.Kind.OWNER, subject, authTime);
    }

    private static long epochSeconds(Object claim) {
        if (claim instanceof Number number) {
            return number.longValue();
        }
        if (claim instanceof jakarta.json.JsonNumber number) {
            return number.longValue();
        }
        throw new ProblemException(ProblemType.AUTHENTICATION_REQUIRED, "The token's auth_time is not a number.");
    }

    private static ProblemException denied(Caller caller) {
        if (caller.kind() == Caller.Kind.OWNER) {
            // Same answer as for an account that does not exist, so ids cannot be probed.
            return new ProblemException(ProblemType.NOT_FOUND, "No such account.");
        }
        return new ProblemException(ProblemType.FORBIDDEN, "Mail-server tokens may not use this operation.");
    }

    private static ProblemException reauthenticate(String detail) {
        return new ProblemException(ProblemType.REAUTHENTICATION_REQUIRED, detail + " Sign in again to continue.");
    }
}
