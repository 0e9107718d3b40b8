package dev.twofold.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookDispatcherTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    record Settings(Optional<URI> url, Optional<String> secret, int maxAttempts, Duration timeout,
            Duration initialBackoff, Duration maxBackoff, Duration pollInterval, int batchSize) implements WebhookConfig {

        static Settings of(String url, String secret) {
            return new Settings(Optional.ofNullable(url).map(URI::create), Optional.ofNullable(secret), 12,
                    Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(5), 20);
        }

        Settings withBackoff(Duration initial, Duration max) {
            return new Settings(url, secret, maxAttempts, timeout, initial, max, pollInterval, batchSize);
        }

        Settings withMaxAttempts(int attempts) {
            return new Settings(url, secret, attempts, timeout, initialBackoff, maxBackoff, pollInterval, batchSize);
        }
    }

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheCap() {
        Duration initial = Duration.ofSeconds(30);
        Duration cap = Duration.ofHours(1);
        assertEquals(Duration.ofSeconds(30), WebhookDispatcher.backoff(initial, cap, 1));
        assertEquals(Duration.ofSeconds(60), WebhookDispatcher.backoff(initial, cap, 2));
        assertEquals(Duration.ofMinutes(2), WebhookDispatcher.backoff(initial, cap, 3));
        assertEquals(Duration.ofMinutes(32), WebhookDispatcher.backoff(initial, cap, 7));
        assertEquals(cap, WebhookDispatcher.backoff(initial, cap, 8));
        assertEquals(cap, WebhookDispatcher.backoff(initial, cap, 1000));
    }

    @Test
    void webhooksMayBeOffOrOnWithASecret() {
        WebhookDispatcher.validate(Settings.of(null, null));
        WebhookDispatcher.validate(Settings.of("https://mail.example.com/twofold-events", SECRET));
    }

    @Test
    void urlWithoutALongEnoughSecretStopsTheBoot() {
        assertThrows(IllegalStateException.class,
                () -> WebhookDispatcher.validate(Settings.of("https://mail.example.com/hook", null)));
        assertThrows(IllegalStateException.class,
                () -> WebhookDispatcher.validate(Settings.of("https://mail.example.com/hook", "short")));
    }

    @Test
    void urlMustBeAbsoluteHttp() {
        assertThrows(IllegalStateException.class, () -> WebhookDispatcher.validate(Settings.of("ftp://mail.example.com/hook", SECRET)));
        assertThrows(IllegalStateException.class, () -> WebhookDispatcher.validate(Settings.of("/hook", SECRET)));
    }

    @Test
    void retrySettingsAreChecked() {
        Settings on = Settings.of("https://mail.example.com/hook", SECRET);
        assertThrows(IllegalStateException.class, () -> WebhookDispatcher.validate(on.withMaxAttempts(0)));
        assertThrows(IllegalStateException.class,
                () -> WebhookDispatcher.validate(on.withBackoff(Duration.ofMinutes(5), Duration.ofMinutes(1))));
        assertThrows(IllegalStateException.class,
                () -> WebhookDispatcher.validate(on.withBackoff(Duration.ZERO, Duration.ofMinutes(1))));
    }
}
