package dev.twofold.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.ConfigProblems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookDispatcherTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

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
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(
                List.of(),
                problems(Map.of(
                        "twofold.webhooks.url",
                        "https://mail.example.com/twofold-events",
                        "twofold.webhooks.secret",
                        SECRET)));
    }

    @Test
    void urlWithoutALongEnoughSecretStopsTheBoot() {
        assertRefused("twofold.webhooks.secret", Map.of("twofold.webhooks.url", "https://mail.example.com/hook"));
        assertRefused(
                "twofold.webhooks.secret",
                Map.of(
                        "twofold.webhooks.url",
                        "https://mail.example.com/hook",
                        "twofold.webhooks.secret",
                        SECRET.substring(1)));
    }

    @Test
    void urlMustBeAbsoluteHttp() {
        assertRefused(
                "twofold.webhooks.url",
                Map.of("twofold.webhooks.url", "ftp://mail.example.com/hook", "twofold.webhooks.secret", SECRET));
        assertRefused(
                "twofold.webhooks.url", Map.of("twofold.webhooks.url", "/hook", "twofold.webhooks.secret", SECRET));
    }

    @Test
    void retrySettingsAreChecked() {
        assertRefused("twofold.webhooks.max-attempts", Map.of("twofold.webhooks.max-attempts", "0"));
        assertRefused("twofold.webhooks.max-attempts", Map.of("twofold.webhooks.max-attempts", "101"));
        assertRefused("twofold.webhooks.batch-size", Map.of("twofold.webhooks.batch-size", "501"));
        assertRefused(
                "twofold.webhooks.max-backoff",
                Map.of("twofold.webhooks.initial-backoff", "5M", "twofold.webhooks.max-backoff", "1M"));
        assertRefused("twofold.webhooks.initial-backoff", Map.of("twofold.webhooks.initial-backoff", "0S"));
        assertRefused("twofold.webhooks.timeout", Map.of("twofold.webhooks.timeout", "0S"));
        assertRefused("twofold.webhooks.poll-interval", Map.of("twofold.webhooks.poll-interval", "0S"));
    }

    private static List<String> problems(Map<String, String> properties) {
        return ConfigProblems.of(WebhookConfig.class, properties);
    }

    /** Exactly one problem, naming {@code property}. */
    private static void assertRefused(String property, Map<String, String> properties) {
        List<String> problems = problems(properties);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains(property), problems.toString());
    }
}
