package dev.twofold.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Optional webhooks carrying every security event; checked at boot by {@link WebhookDispatcher}. */
@ConfigMapping(prefix = "twofold.webhooks")
interface WebhookConfig {

    /** Where each event is POSTed (http or https); webhooks are off when absent. */
    Optional<URI> url();

    /** HMAC-SHA256 key of the signature header; required, at least 32 characters, when the url is set. */
    Optional<String> secret();

    /** Attempts per event before it is abandoned (1 to 100). */
    @WithDefault("12")
    int maxAttempts();

    /** Time limit of one delivery attempt, connection included. */
    @WithDefault("5S")
    Duration timeout();

    /** Wait after the first failed attempt; it doubles with each further failure. */
    @WithDefault("30S")
    Duration initialBackoff();

    /** Longest wait between two attempts. */
    @WithDefault("1H")
    Duration maxBackoff();

    /** How often each replica looks for due deliveries. */
    @WithDefault("5S")
    Duration pollInterval();

    /** Deliveries one replica claims per poll (1 to 500). */
    @WithDefault("20")
    int batchSize();
}
