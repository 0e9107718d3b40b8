package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.network.IpAddresses;
import dev.twofold.passcode.MailProtocol;
import dev.twofold.passcode.PasscodeUsePolicy;
import dev.twofold.policy.DomainPolicies;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.totp.TwoFactorPresenceStore;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Decides mail-protocol logins (IMAP, POP3, SMTP from a mail server): accept an active app passcode of the
 * account within its scope, reject, or let the mail server check the primary password when
 * two-factor authentication is off and the account's domain policy ({@link DomainPolicies}) allows it
 * (with it on, or past the policy's enrollment deadline, the primary password is never accepted,
 * except from the webmail).
 *
 * <p>Cost: the passcode is found by {@link PasscodeResolver} (no Argon2 for a wrong secret, at most
 * one for a right one, none while {@link MailLoginCache} remembers it and is in sync with every
 * credential change); its use is recorded by {@link PasscodeUses}. Failed logins are throttled by
 * {@link LoginThrottle}, but a right passcode of the account is accepted even while throttled.
 */
@ApplicationScoped
public class MailLoginService {

    private static final Logger LOG = Logger.getLogger(MailLoginService.class);

    private final PasscodeResolver passcodes;
    private final LegacyPasscodes legacy;
    private final PasscodeUses uses;
    private final TwoFactorPresenceStore twoFactor;
    private final MailLoginCache cache;
    private final LoginThrottle throttle;
    private final PasscodeUsePolicy policy;
    private final MailAuthMetrics metrics;
    private final WebmailNetworks webmail;
    private final DomainPolicies domainPolicies;
    private final WebmailLoginEvents webmailEvents;
    private final Clock clock;

    MailLoginService(
            PasscodeResolver passcodes,
            LegacyPasscodes legacy,
            PasscodeUses uses,
            TwoFactorPresenceStore twoFactor,
            MailLoginCache cache,
            LoginThrottle throttle,
            PasscodeUsePolicy policy,
            MailAuthMetrics metrics,
            WebmailNetworks webmail,
            DomainPolicies domainPolicies,
            WebmailLoginEvents webmailEvents,
            Clock clock) {
        this.passcodes = passcodes;
        this.legacy = legacy;
        this.uses = uses;
        this.twoFactor = twoFactor;
        this.cache = cache;
        this.throttle = throttle;
        this.policy = policy;
        this.metrics = metrics;
        this.webmail = webmail;
        this.domainPolicies = domainPolicies;
        this.webmailEvents = webmailEvents;
        this.clock = clock;
    }

    /**
     * Decides one login. Fails with {@link ProblemType#VALIDATION_FAILED} for an unknown protocol or
     * a client IP that is no IP literal, {@link ProblemType#TOO_MANY_ATTEMPTS} (with a retry-after)
     * while the account and client network or the client network alone are throttled, and
     * {@link ProblemType#SERVICE_OVERLOADED} (with a retry-after) when the Argon2 pool is full.
     */
    public Uni<MailLoginResult> verify(MailLogin login) {
        return Uni.createFrom().deferred(() -> {
            MailProtocol protocol = MailProtocol.ofSlug(login.protocol())
                    .orElseThrow(() -> ProblemException.invalidField("protocol", "must be one of the mail protocols"));
            Optional<InetAddress> clientIp = login.clientIp()
                    .map(literal -> IpAddresses.parse(literal)
                            .orElseThrow(() -> ProblemException.invalidField("clientIp", "must be an IP address")));
            PasscodeUse use = new PasscodeUse(
                    login.account(), Optional.of(protocol), clientIp, login.clientName(), clock.instant());
            Timer.Sample sample = Timer.start();
            return decide(use, login.secret(), PasscodeResolver.normalise(login.secret()))
                    .invoke(result -> decided(use, result))
                    .onTermination()
                    .invoke(() -> sample.stop(metrics.duration()));
        });
    }

    private void decided(PasscodeUse use, MailLoginResult result) {
        metrics.decided(result);
        if (result.decision() == MailLoginResult.Decision.REJECT) {
            throttle.failed(use.account(), use.clientIp());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf(
                    "Mail login of %s over %s from %s: %s %s",
                    use.account(),
                    use.protocol().map(MailProtocol::slug).orElse("-"),
                    use.ipText().orElse("-"),
                    result.decision(),
                    result.reason().orElse(""));
        }
    }

    /**
     * The throttle is asked only when the secret is not a usable passcode of the account: a value
     * that matches one of its rows (by keyed lookup hash) is checked with at most one Argon2 and
     * accepted whatever the failure counters say, so an attacker can neither lock out the owner's
     * devices (behind the same NAT, or without a client IP) nor buy Argon2 with guesses, which match
     * no row and cost one indexed query. Only a value that matches nothing and passes the throttle
     * is checked against the account's imported legacy hashes ({@link LegacyPasscodes}, bounded).
     */
    private Uni<MailLoginResult> decide(PasscodeUse use, String typed, String normalised) {
        if (!PasscodeResolver.couldBePasscode(normalised)) {
            throttle.check(use.account(), use.clientIp());
            return withoutPasscode(use);
        }
        Optional<AccountId> account = Optional.of(use.account());
        return passcodes
                .find(normalised, use.at(), account)
                .flatMap(found -> {
                    if (found.passcode().isPresent() || found.refusal().isPresent()) {
                        return Uni.createFrom().item(found);
                    }
                    throttle.check(use.account(), use.clientIp());
                    return legacy.convertMatching(use.account(), typed, normalised)
                            .flatMap(converted -> converted
                                    ? passcodes.find(normalised, use.at(), account)
                                    : Uni.createFrom().item(found));
                })
                .flatMap(passcode -> {
                    Optional<MailLoginResult> result = passcode.refusal()
                            .map(MailLoginResult::reject)
                            .or(() -> passcode.passcode().map(usable -> judge(usable, use)));
                    if (result.filter(decided -> decided.decision() == MailLoginResult.Decision.ACCEPT)
                            .isPresent()) {
                        return uses.record(passcode.passcode().get(), use).replaceWith(result.get());
                    }
                    throttle.check(use.account(), use.clientIp());
                    return result.map(decided -> Uni.createFrom().item(decided)).orElseGet(() -> withoutPasscode(use));
                });
    }

    private MailLoginResult judge(CachedPasscode passcode, PasscodeUse use) {
        if (passcode.expired(use.at(), policy)) {
            return MailLoginResult.reject(MailLoginResult.EXPIRED);
        }
        if (use.protocol()
                .filter(protocol -> !passcode.scope().allows(protocol))
                .isPresent()) {
            return MailLoginResult.reject(MailLoginResult.PROTOCOL_NOT_ALLOWED);
        }
        if (!passcode.scope().allows(use.clientIp())) {
            return MailLoginResult.reject(MailLoginResult.IP_NOT_ALLOWED);
        }
        return MailLoginResult.accept(passcode.id(), passcode.name());
    }

    private Uni<MailLoginResult> withoutPasscode(PasscodeUse use) {
        Optional<Boolean> cached = cache.twoFactorEnabled(use.account(), use.at());
        Uni<Boolean> enabled;
        if (cached.isPresent()) {
            enabled = Uni.createFrom().item(cached.get());
        } else {
            long epoch = cache.epoch();
            enabled = twoFactor
                    .enabled(use.account())
                    .invoke(state -> cache.putTwoFactor(use.account(), state, use.at(), epoch));
        }
        return enabled.flatMap(on -> on
                ? passwordRefused(use, MailLoginResult.TWO_FACTOR_REQUIRED)
                : domainPolicies.mailPassword(use.account(), use.at()).flatMap(verdict -> switch (verdict) {
                    case ALLOWED -> Uni.createFrom().item(MailLoginResult.usePassword());
                    case TWO_FACTOR_REQUIRED -> passwordRefused(use, MailLoginResult.TWO_FACTOR_REQUIRED);
                    case PASSCODE_REQUIRED -> passwordRefused(use, MailLoginResult.PASSCODE_REQUIRED);
                }));
    }

    /**
     * The primary password does not work for mail apps, but the webmail, which asked for the second
     * factor at its own sign-in and logs in with the password it was given there, may still use it
     * (audited, at most once per account per interval).
     */
    private Uni<MailLoginResult> passwordRefused(PasscodeUse use, String reason) {
        return webmail.contains(use.protocol(), use.clientIp())
                ? webmailEvents.record(use).replaceWith(MailLoginResult.usePasswordFromWebmail())
                : Uni.createFrom().item(MailLoginResult.reject(reason));
    }
}
