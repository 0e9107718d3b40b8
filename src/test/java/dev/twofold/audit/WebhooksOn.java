package dev.twofold.audit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The one profile of all webhook tests: a local receiver, and no scheduled delivery: the tests run the
 * dispatcher themselves and move the test clock past each back-off instead of waiting for it.
 */
public class WebhooksOn implements QuarkusTestProfile {

    static final int MAX_ATTEMPTS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "twofold.webhooks.max-attempts", String.valueOf(MAX_ATTEMPTS),
                "twofold.webhooks.initial-backoff", "1S",
                "twofold.webhooks.max-backoff", "2S",
                "twofold.webhooks.timeout", "2S",
                "quarkus.scheduler.enabled", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WebhookReceiver.class));
    }
}
