package dev.twofold.platform;

import dev.twofold.testing.ProxiedPostgresTestDatabase;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The database faults profile: the reactive pool behind a proxy, short database time bounds (so a
 * test sees them fire within seconds) and cheap Argon2 (so the load is database-bound).
 */
public class DatabaseThroughProxy implements QuarkusTestProfile {

    static final int STALL_TIMEOUT_SECONDS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "twofold.database.stall-timeout", STALL_TIMEOUT_SECONDS + "S",
                "twofold.database.acquire-timeout", "2S",
                "twofold.database.connect-timeout", "2S",
                "twofold.argon2.memory-kib", "8192",
                "twofold.argon2.iterations", "1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ProxiedPostgresTestDatabase.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
