package dev.twofold.account;

import dev.twofold.account.Caller.Kind;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who may call what (owner, admin, mail server), in one place; the contract states the same table
 * per operation ({@code x-twofold-callers}, {@code x-twofold-step-up}). Each resource method names
 * the rule it needs. A user token for another account gets 404, so ids cannot be probed; a caller
 * kind the rule does not name gets 403. Admins never obtain or use a user's credential: everything
 * that yields a secret, a name on one, or a sign-in assertion is for the owner (or a mail server).
 */
@ApplicationScoped
public class AccountAccess {

    private static final Set<Kind> OWNER = EnumSet.of(Kind.OWNER);
    private static final Set<Kind> ADMIN = EnumSet.of(Kind.ADMIN);
    private static final Set<Kind> OWNER_OR_ADMIN = EnumSet.of(Kind.OWNER, Kind.ADMIN);
    private static final Set<Kind> OWNER_OR_MAIL_SERVER = EnumSet.of(Kind.OWNER, Kind.MAIL_SERVER);
    private static final Set<Kind> ADMIN_OR_MAIL_SERVER = EnumSet.of(Kind.ADMIN, Kind.MAIL_SERVER);

    private final SecurityIdentity identity;
    private final StepUpConfig stepUp;
    private final CallerGroupsConfig groups;
    private final Clock clock;
    private final Duration clockSkew;

    AccountAccess(
            SecurityIdentity identity,
            StepUpConfig stepUp,
            CallerGroupsConfig groups,
            Clock clock,
            JWTAuthContextInfo tokens) {
        this.identity = identity;
        this.stepUp = stepUp;
        this.groups = groups;
        this.clock = clock;
        this.clockSkew = Duration.ofSeconds(tokens.getClockSkew());
    }

    /** Reading an account's state, and revoking what it holds: its owner or an admin. */
    public AccountId ownerOrAdmin(String rawAccountId) {
        return allow(rawAccountId, OWNER_OR_ADMIN, false);
    }

    /**
     * Switching a protection off for good (disable two-factor, revoke every passcode): the owner
     * with a recent password sign-in, or an admin (helpdesk reset).
     */
    public AccountId ownerWithRecentSignInOrAdmin(String rawAccountId) {
        return allow(rawAccountId, OWNER_OR_ADMIN, true);
    }

    /**
     * Obtaining a new credential (a passcode, a TOTP seed, recovery codes): the owner with a recent
     * password sign-in, the seeds' "enter the password for your account to continue".
     */
    public AccountId ownerWithRecentSignIn(String rawAccountId) {
        return allow(rawAccountId, OWNER, true);
    }

    /** Using or naming one of the account's credentials (confirm enrollment, rename, trusted device): the owner. */
    public AccountId owner(String rawAccountId) {
        return allow(rawAccountId, OWNER, false);
    }

    /** Checking a typed second factor at sign-in: the owner, or a mail server that runs that step itself. */
    public AccountId ownerOrMailServer(String rawAccountId) {
        return allow(rawAccountId, OWNER_OR_MAIL_SERVER, false);
    }

    /** The directory's notice that the primary password changed: an admin or a mail server. */
    public AccountId adminOrMailServer(String rawAccountId) {
        return allow(rawAccountId, ADMIN_OR_MAIL_SERVER, false);
    }

    /** Acting on an account as a whole (erasure): an admin that reaches the account's domain. */
    public AccountId admin(String rawAccountId) {
        return allow(rawAccountId, ADMIN, false);
    }

    /** Mail-protocol login decisions, which test secrets of any account: a mail server only. */
    public void requireMailServer() {
        if (!caller().isMailServer()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This operation is for mail servers.");
        }
    }

    /** Operations across all accounts: an admin whose token is not limited to some domains. */
    public void requireAdmin() {
        Caller caller = caller();
        if (!caller.isAdmin() || caller.domains().isPresent()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This operation is for admin tools of every domain.");
        }
    }

    /**
     * Operations over many accounts at once (imports): an admin. A scoped admin's reach is decided per
     * account with {@link Caller#reaches}, by the operation.
     */
    public Caller requireAnyAdmin() {
        Caller caller = caller();
        if (!caller.isAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This operation is for admin tools.");
        }
        return caller;
    }

    /**
     * Operations on a domain (its policy): an admin that reaches it. A domain outside a scoped admin's
     * {@code twofold_domains} answers like a domain without a policy, so domains cannot be probed.
     */
    public Caller requireAdminOf(String domain) {
        Caller caller = caller();
        if (!caller.isAdmin()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This operation is for admin tools.");
        }
        if (!caller.reaches(Optional.of(domain))) {
            throw new ProblemException(ProblemType.NOT_FOUND, "The domain has no policy.");
        }
        return caller;
    }

    public Caller caller() {
        if (identity.isAnonymous()) {
            throw new ProblemException(ProblemType.AUTHENTICATION_REQUIRED, "A bearer token is required.");
        }
        JsonWebToken token = (JsonWebToken) identity.getPrincipal();
        if (identity.hasRole(groups.admin())) {
            return new Caller(
                    Kind.ADMIN,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.ofNullable(token.getSubject()),
                    AdminScope.domains(token));
        }
        if (identity.hasRole(groups.mailServer())) {
            return new Caller(Kind.MAIL_SERVER, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<AccountId> subject = Optional.ofNullable(token.getSubject()).flatMap(AccountAccess::subject);
        Optional<Instant> authTime = Optional.ofNullable(token.<Object>getClaim("auth_time"))
                .map(AccountAccess::epochSeconds)
                .map(Instant::ofEpochSecond);
        return new Caller(Kind.OWNER, subject, authTime, Optional.empty(), Optional.empty());
    }

    private AccountId allow(String rawAccountId, Set<Kind> allowed, boolean recentSignIn) {
        Caller caller = caller();
        if (caller.kind() != Kind.OWNER && !allowed.contains(caller.kind())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This token's kind may not use this operation.");
        }
        AccountId account = AccountId.of(rawAccountId);
        if (!caller.reaches(account.domain())) {
            // A scoped admin learns no more about other domains' accounts than another user would.
            throw new ProblemException(ProblemType.NOT_FOUND, "No such account.");
        }
        if (caller.kind() == Kind.OWNER) {
            if (!caller.owns(account)) {
                // Same answer as for an account that does not exist, so ids cannot be probed.
                throw new ProblemException(ProblemType.NOT_FOUND, "No such account.");
            }
            if (!allowed.contains(Kind.OWNER)) {
                throw new ProblemException(
                        ProblemType.FORBIDDEN, "The account's own token may not use this operation.");
            }
            if (recentSignIn) {
                requireRecentSignIn(caller);
            }
        }
        return account;
    }

    private void requireRecentSignIn(Caller caller) {
        Instant signedIn = caller.authTime().orElseThrow(() -> reauthenticate("The token carries no auth_time."));
        Instant now = clock.instant();
        // A sign-in "in the future" proves nothing about the past ten minutes: an IdP with a wrong
        // clock, or a claim minted to stay fresh for days. Only the verifier's skew is tolerated.
        if (signedIn.isAfter(now.plus(clockSkew))) {
            throw reauthenticate("The token's auth_time lies in the future.");
        }
        Duration maxAge = stepUp.maxAge();
        if (signedIn.isBefore(now.minus(maxAge))) {
            throw reauthenticate("The last password sign-in is older than " + maxAge.toMinutes() + " minutes.");
        }
    }

    /** A {@code sub} that no login can be (say, with a format character) owns no account. */
    private static Optional<AccountId> subject(String sub) {
        try {
            return Optional.of(AccountId.of(sub));
        } catch (ProblemException invalid) {
            return Optional.empty();
        }
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

    private static ProblemException reauthenticate(String detail) {
        return new ProblemException(ProblemType.REAUTHENTICATION_REQUIRED, detail + " Sign in again to continue.");
    }
}
