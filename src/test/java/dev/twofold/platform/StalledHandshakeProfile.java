package dev.twofold.platform;

import java.util.HashMap;
import java.util.Map;

/**
 * The database faults profile with a pool of two connections only, so that a few connection
 * attempts the database never answers could take every slot.
 */
public class StalledHandshakeProfile extends DatabaseFaultsProfile {

    static final int POOL_SIZE = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("quarkus.datasource.reactive.max-size", String.valueOf(POOL_SIZE));
        return config;
    }
}
