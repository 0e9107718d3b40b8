package dev.twofold.platform;

import dev.twofold.testing.DatabaseThroughProxy;
import java.util.Map;

/**
 * The database faults profile: the reactive pool behind a proxy, short database time bounds (so a
 * test sees them fire within seconds) and cheap Argon2 (so the load is database-bound).
 */
public class DatabaseFaultsProfile extends DatabaseThroughProxy {

    static final int STALL_TIMEOUT_SECONDS = 2;
    static final int REQUEST_TIMEOUT_SECONDS = 6;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "twofold.database.stall-timeout", STALL_TIMEOUT_SECONDS + "S",
                "twofold.database.maintenance-statement-timeout", "5S",
                "twofold.database.acquire-timeout", "2S",
                "twofold.database.connect-timeout", "2S",
                "twofold.http.request-timeout", REQUEST_TIMEOUT_SECONDS + "S",
                "twofold.argon2.memory-kib", "8192",
                "twofold.argon2.iterations", "1");
    }
}
