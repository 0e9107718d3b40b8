package dev.twofold.mailauth.nginx;

import dev.twofold.account.AccountId;
import dev.twofold.mailauth.MailLogin;
import dev.twofold.mailauth.MailLoginResult;
import dev.twofold.mailauth.MailLoginService;
import dev.twofold.passcode.MailProtocol;
import dev.twofold.problem.DatabaseOutage;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Answers nginx {@code auth_http} calls with the same decision as {@code POST /v1/mail-auth/verify}:
 * decodes the login from nginx's headers, asks {@link MailLoginService}, and turns the decision,
 * or the reason none could be made, into the headers nginx acts on. Every outcome for the mail
 * client is a reply; throttling, overload and internal errors are temporary failures, so clients
 * retry later instead of asking their user for a new password.
 */
@ApplicationScoped
class NginxMailAuthenticator {

    private static final Logger LOG = Logger.getLogger(NginxMailAuthenticator.class);
    private static final long MAX_WAIT_SECONDS = 30;

    private final Function<MailLogin, Uni<MailLoginResult>> logins;
    private final NginxUpstreams upstreams;
    private final NginxMailAuthConfig config;

    @Inject
    NginxMailAuthenticator(MailLoginService logins, NginxUpstreams upstreams, NginxMailAuthConfig config) {
        this(logins::verify, upstreams, config);
    }

    /** With {@code logins} deciding in place of {@link MailLoginService#verify}. */
    NginxMailAuthenticator(
            Function<MailLogin, Uni<MailLoginResult>> logins, NginxUpstreams upstreams, NginxMailAuthConfig config) {
        this.logins = logins;
        this.upstreams = upstreams;
        this.config = config;
    }

    Uni<NginxAuthReply> authenticate(NginxLoginAttempt attempt) {
        Optional<MailProtocol> protocol =
                MailProtocol.ofSlug(attempt.protocol()).filter(NginxUpstreams.PROXIED::contains);
        if (protocol.isEmpty()) {
            return Uni.createFrom().item(refusal(attempt, false, "unsupported protocol"));
        }
        boolean smtp = protocol.get() == MailProtocol.SMTP;
        Optional<NginxUpstreams.Backend> backend = upstreams.backendFor(protocol.get());
        if (backend.isEmpty()) {
            LOG.warnf(
                    "nginx %s login answered as a temporary failure: twofold.mail-auth.nginx.backends.%s is not set",
                    protocol.get().slug(), protocol.get().slug());
            return Uni.createFrom().item(NginxAuthReply.temporaryFailure(smtp, config.failureWait()));
        }
        // "plain" is what nginx sends for both LOGIN and PLAIN; apop, cram-md5, external and none
        // never carry a secret Twofold can check.
        if (!"plain".equalsIgnoreCase(attempt.method())) {
            return Uni.createFrom().item(refusal(attempt, smtp, "unsupported Auth-Method"));
        }
        Optional<String> user = NginxHeaderDecoder.decode(attempt.user());
        Optional<String> secret = NginxHeaderDecoder.decode(attempt.password());
        Optional<AccountId> account = user.flatMap(NginxMailAuthenticator::account);
        if (account.isEmpty() || secret.isEmpty()) {
            return Uni.createFrom().item(refusal(attempt, smtp, "missing, undecodable or invalid Auth-User/Auth-Pass"));
        }
        // nginx hands the backend the client's own name unless the reply carries Auth-User, and a
        // header carries ASCII only: a name that cannot travel back could reach another mailbox.
        if (!headerSafe(account.get())) {
            return Uni.createFrom().item(refusal(attempt, smtp, "a login outside printable ASCII cannot be passed on"));
        }
        MailLogin login = new MailLogin(
                account.get(),
                secret.get(),
                protocol.get().slug(),
                Optional.ofNullable(attempt.clientIp()).filter(ip -> !ip.isBlank()),
                Optional.empty());
        return Uni.createFrom()
                .deferred(() -> logins.apply(login))
                .map(result -> reply(result, attempt, account.get(), backend.get(), smtp))
                .onFailure()
                .recoverWithItem(failure -> failed(failure, attempt, account.get(), smtp));
    }

    private NginxAuthReply reply(
            MailLoginResult result,
            NginxLoginAttempt attempt,
            AccountId account,
            NginxUpstreams.Backend backend,
            boolean smtp) {
        switch (result.decision()) {
            case ACCEPT:
                LOG.debugf(
                        "nginx %s login of %s accepted with app passcode %s",
                        attempt.protocol(),
                        account,
                        result.credentialId().map(Object::toString).orElse("?"));
                return NginxAuthReply.allow(backend, account.value(), upstreams.backendPassword());
            case USE_PASSWORD:
                // For SMTP nginx never logs in to the backend (it vouches with XCLIENT), so nothing
                // would check the primary password: passing it through would let any password in.
                if (!smtp && config.passwordFallback() == NginxMailAuthConfig.PasswordFallback.PASS_THROUGH) {
                    LOG.debugf(
                            "nginx %s login of %s passed to the backend to check the primary password",
                            attempt.protocol(), account);
                    return NginxAuthReply.allow(backend, account.value(), Optional.empty());
                }
                return refusal(attempt, smtp, account + ": no app passcode, and nginx cannot check passwords");
            default:
                return refusal(attempt, smtp, account + ": " + result.reason().orElse("rejected"));
        }
    }

    private NginxAuthReply failed(Throwable error, NginxLoginAttempt attempt, AccountId account, boolean smtp) {
        Throwable failure = DatabaseOutage.asProblem(error, "/v1/mail-auth/nginx")
                .<Throwable>map(p -> p)
                .orElse(error);
        if (failure instanceof ProblemException problem) {
            if (problem.type() == ProblemType.VALIDATION_FAILED) {
                return refusal(attempt, smtp, account + ": " + problem.detail());
            }
            LOG.infof(
                    "nginx %s login of %s answered as a temporary failure: %s",
                    attempt.protocol(), account, problem.type().slug());
            long wait = problem.retryAfter().map(Duration::toSeconds).orElse((long) config.failureWait());
            return NginxAuthReply.temporaryFailure(smtp, (int) Math.max(1, Math.min(MAX_WAIT_SECONDS, wait)));
        }
        LOG.errorf(failure, "nginx %s login of %s answered as a temporary failure", attempt.protocol(), account);
        return NginxAuthReply.temporaryFailure(smtp, config.failureWait());
    }

    /** A refusal; nginx lets the client retry on the same connection only when told how long to wait. */
    private NginxAuthReply refusal(NginxLoginAttempt attempt, boolean smtp, String why) {
        LOG.debugf("nginx %s login refused: %s", attempt.protocol(), why);
        int attemptNumber = attempt.attempt() == null ? 1 : attempt.attempt();
        Optional<Integer> wait =
                attemptNumber < config.maxLoginAttempts() ? Optional.of(config.failureWait()) : Optional.empty();
        return NginxAuthReply.refuse(smtp, wait);
    }

    private static Optional<AccountId> account(String login) {
        try {
            return Optional.of(AccountId.of(login));
        } catch (ProblemException invalid) {
            return Optional.empty();
        }
    }

    /** Whether the normalised account id can travel in the reply's {@code Auth-User} header unchanged. */
    private static boolean headerSafe(AccountId account) {
        return account.value().chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
