package dev.twofold.audit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The one profile of all webhook tests: a local receiver, and retries fast enough to watch. */
public class WebhooksOn implements QuarkusTestProfile {

    static final int MAX_ATTEMPTS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "twofold.webhooks.max-attempts", String.valueOf(MAX_ATTEMPTS),
                "twofold.webhooks.initial-backoff", "1S",
                "twofold.webhooks.max-backoff", "2S",
                "twofold.webhooks.poll-interval", "1S",
                "twofold.webhooks.timeout", "2S");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WebhookReceiver.class));
    }
}
