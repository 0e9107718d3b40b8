package dev.twofold.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;

/** Optional webhooks carrying every security event, delivered by {@link WebhookDispatcher}. */
@ConfigMapping(prefix = "twofold.webhooks")
interface WebhookConfig {

    /** Where each event is POSTed (http or https); webhooks are off when absent. */
    Optional<URI> url();

    /** HMAC-SHA256 key of the signature header; required, at least 32 characters, when the url is set. */
    Optional<String> secret();

    /** Attempts per event before it is abandoned (1 to 100). */
    @WithDefault("12")
    @Positive
    @Max(100)
    int maxAttempts();

    /** Time limit of one delivery attempt, connection included. */
    @WithDefault("5S")
    @DurationMin(inclusive = false, message = "must be positive")
    Duration timeout();

    /** Wait after the first failed attempt; it doubles with each further failure. */
    @WithDefault("30S")
    @DurationMin(inclusive = false, message = "must be positive")
    Duration initialBackoff();

    /** Longest wait between two attempts. */
    @WithDefault("1H")
    Duration maxBackoff();

    /** How often each replica looks for due deliveries. */
    @WithDefault("5S")
    @DurationMin(inclusive = false, message = "must be positive")
    Duration pollInterval();

    /** Deliveries one replica claims per poll (1 to 500). */
    @WithDefault("20")
    @Positive
    @Max(500)
    int batchSize();

    // Rules over more than one property, or over a URI's parts, read as checks of the mapping.
    @AssertTrue(message = "twofold.webhooks.url must be an absolute http or https URL")
    default boolean isUrlAbsoluteHttp() {
        return url().map(target -> ("http".equals(target.getScheme()) || "https".equals(target.getScheme()))
                        && target.getHost() != null)
                .orElse(true);
    }

    @AssertTrue(
            message = "twofold.webhooks.secret (at least 32 characters) is required when twofold.webhooks.url"
                    + " is set")
    default boolean isSecretSetWithUrl() {
        return url().isEmpty() || secret().map(String::length).orElse(0) >= 32;
    }

    @AssertTrue(message = "twofold.webhooks.max-backoff must not be shorter than twofold.webhooks.initial-backoff")
    default boolean isMaxBackoffNotBelowInitial() {
        return maxBackoff().compareTo(initialBackoff()) >= 0;
    }
}
