package dev.twofold.admin;

import dev.twofold.account.AccountAccess;
import dev.twofold.api.AdminApi;
import dev.twofold.api.model.KeyRotationResult;
import dev.twofold.totp.SeedRotationService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Authenticated
public class AdminResource implements AdminApi {

    private final SeedRotationService seedRotation;
    private final AccountAccess access;

    AdminResource(SeedRotationService seedRotation, AccountAccess access) {
        this.seedRotation = seedRotation;
        this.access = access;
    }

    @Override
    public Uni<KeyRotationResult> rotateEncryptionKeys() {
        access.requireAdmin();
        return seedRotation.rotateBatch().map(progress -> new KeyRotationResult()
                .activeKeyId(progress.activeKeyId())
                .reencrypted(progress.reencrypted())
                .remaining(saturated(progress.remaining()))
                .unreadable(saturated(progress.unreadable())));
    }

    private static int saturated(long count) {
        return (int) Math.min(count, Integer.MAX_VALUE);
    }
}
