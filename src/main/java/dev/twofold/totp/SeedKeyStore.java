package dev.twofold.totp;

import dev.twofold.platform.Maintenance;
import dev.twofold.rotation.KeyCountStore;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Singleton;

/** Which ring keys sealed the seeds still in use: every confirmed factor, and unexpired enrollments. */
final class SeedKeyStore {

    private SeedKeyStore() {}

    @Singleton
    static class FactorSeedStore extends KeyCountStore {

        FactorSeedStore(@Maintenance Pool pool) {
            super(pool, "TOTP seeds", "select seed_key_id, count(*) from totp_factor group by seed_key_id");
        }
    }

    @Singleton
    static class EnrollmentSeedStore extends KeyCountStore {

        EnrollmentSeedStore(@Maintenance Pool pool) {
            super(
                    pool,
                    "pending enrollments",
                    "select seed_key_id, count(*) from totp_enrollment where expires_at > $1 group by seed_key_id");
        }
    }
}
