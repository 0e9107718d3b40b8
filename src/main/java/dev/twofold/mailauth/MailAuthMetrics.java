package dev.twofold.mailauth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Meters of the login path, registered once so that a login only increments them. */
@ApplicationScoped
class MailAuthMetrics {

    private static final List<String> REJECT_REASONS = List.of(
            MailLoginResult.UNKNOWN_SECRET,
            MailLoginResult.REVOKED,
            MailLoginResult.PROTOCOL_NOT_ALLOWED,
            MailLoginResult.IP_NOT_ALLOWED,
            MailLoginResult.EXPIRED,
            MailLoginResult.TWO_FACTOR_REQUIRED,
            MailLoginResult.PASSCODE_REQUIRED);

    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, Counter> throttled = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final Timer duration;

    MailAuthMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("twofold.mail.auth.duration")
                .description("Time to decide a mail login (cache, database and Argon2 included)")
                .register(registry);
        decision("accept", "none");
        decision("use-password", "none");
        REJECT_REASONS.forEach(reason -> decision("reject", reason));
        throttleCounter("account-ip");
        throttleCounter("ip");
    }

    Timer duration() {
        return duration;
    }

    void decided(MailLoginResult result) {
        String decision = switch (result.decision()) {
            case ACCEPT -> "accept";
            case REJECT -> "reject";
            case USE_PASSWORD -> "use-password";
        };
        decision(decision, result.reason().orElse("none")).increment();
    }

    /** A login refused with 429; {@code scope} is the throttle that refused it ({@code account-ip} or {@code ip}). */
    void throttled(String scope) {
        throttleCounter(scope).increment();
    }

    private Counter decision(String decision, String reason) {
        return decisions.computeIfAbsent(
                decision + "|" + reason,
                key -> Counter.builder("twofold.mail.auth.decisions")
                        .tag("decision", decision)
                        .tag("reason", reason)
                        .description("Mail login decisions")
                        .register(registry));
    }

    private Counter throttleCounter(String scope) {
        return throttled.computeIfAbsent(
                scope,
                key -> Counter.builder("twofold.mail.auth.throttled")
                        .tag("scope", scope)
                        .description("Mail logins refused with 429 because of earlier failures")
                        .register(registry));
    }
}
