package dev.twofold.mailauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.twofold.account.AccountId;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Records a {@code webmail-password-login} event when a password login from the webmail networks is
 * left to the mail server although two-factor authentication is on. The webmail logs in on every
 * request, so an account gets at most one per {@code twofold.mail-auth.webmail-event-interval}. The
 * memory of the last event is per replica: with n replicas an account may get up to n per interval.
 */
@ApplicationScoped
class WebmailLoginEvents {

    private static final Logger LOG = Logger.getLogger(WebmailLoginEvents.class);

    private final SecurityEventLog events;
    private final Duration interval;
    /** When each account's last event was recorded (on the injected clock); Caffeine's expiry only frees the memory. */
    private final Cache<AccountId, Instant> lastRecorded;

    WebmailLoginEvents(MailAuthConfig config, SecurityEventLog events) {
        this.events = events;
        this.interval = config.webmailEventInterval();
        if (interval.isNegative()) {
            throw new IllegalStateException("twofold.mail-auth.webmail-event-interval must not be negative");
        }
        this.lastRecorded = Caffeine.newBuilder()
                .maximumSize(config.cacheMaxAccounts())
                .expireAfterWrite(interval.isZero() ? Duration.ofSeconds(1) : interval)
                .executor(Runnable::run)
                .build();
    }

    /** Records the event unless this account had one within the interval; a failed write never fails the login. */
    Uni<Void> record(PasscodeUse use) {
        if (!claim(use.account(), use.at())) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(
                        () -> events.record(use.account(), SecurityEventType.WEBMAIL_PASSWORD_LOGIN, use.origin()))
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf("Recording a webmail login of %s failed: %s", use.account(), failure.getMessage());
                    lastRecorded.asMap().remove(use.account(), use.at());
                    return Uni.createFrom().voidItem();
                });
    }

    private boolean claim(AccountId account, Instant now) {
        AtomicBoolean claimed = new AtomicBoolean();
        lastRecorded.asMap().compute(account, (key, last) -> {
            if (last != null && now.isBefore(last.plus(interval))) {
                return last;
            }
            claimed.set(true);
            return now;
        });
        return claimed.get();
    }
}
