package dev.twofold.concurrency;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The concurrency suite's profile: the cheapest Argon2 cost the service accepts (the suite is about
 * races, not hashing) and a queue deep enough for every request of a 16-client burst to be admitted,
 * so any 5xx is a defect and not load shedding; a low passcode limit to race against.
 */
public class ManyClients implements QuarkusTestProfile {

    static final int PASSCODE_LIMIT = 6;
    static final int REGENERATION_LIMIT = 5;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "twofold.argon2.memory-kib", "8192",
                "twofold.argon2.iterations", "1",
                "twofold.argon2.max-queue", "400",
                "twofold.app-passcodes.max-per-account", String.valueOf(PASSCODE_LIMIT),
                "twofold.recovery-codes.regeneration.limit", String.valueOf(REGENERATION_LIMIT));
    }
}
