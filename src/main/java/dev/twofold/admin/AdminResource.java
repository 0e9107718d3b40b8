package dev.twofold.admin;

import dev.twofold.account.AccountAccess;
import dev.twofold.api.AdminApi;
import dev.twofold.api.model.KeyRotationResult;
import dev.twofold.api.model.LookupRowCounts;
import dev.twofold.rotation.LookupRotation;
import dev.twofold.rotation.LookupRotation.LookupCounts;
import dev.twofold.totp.SeedRotationService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Authenticated
public class AdminResource implements AdminApi {

    private final SeedRotationService seedRotation;
    private final LookupRotation lookupRotation;
    private final AccountAccess access;

    AdminResource(SeedRotationService seedRotation, LookupRotation lookupRotation, AccountAccess access) {
        this.seedRotation = seedRotation;
        this.lookupRotation = lookupRotation;
        this.access = access;
    }

    @Override
    public Uni<KeyRotationResult> rotateEncryptionKeys(Boolean retireStaleLookups) {
        access.requireAdmin();
        Uni<LookupCounts> retired = Boolean.TRUE.equals(retireStaleLookups)
                ? lookupRotation.retireBatch()
                : Uni.createFrom().item(LookupCounts.NONE);
        return seedRotation
                .rotateBatch()
                .flatMap(progress -> retired.flatMap(retiredLookups -> lookupRotation
                        .stale()
                        .map(staleLookups -> new KeyRotationResult()
                                .activeKeyId(progress.activeKeyId())
                                .reencrypted(progress.reencrypted())
                                .remaining(saturated(progress.remaining()))
                                .unreadable(saturated(progress.unreadable()))
                                .staleLookups(counts(staleLookups))
                                .retiredLookups(counts(retiredLookups)))));
    }

    private static LookupRowCounts counts(LookupCounts counts) {
        return new LookupRowCounts()
                .appPasscodes(saturated(counts.appPasscodes()))
                .recoveryCodes(saturated(counts.recoveryCodes()))
                .trustedDevices(saturated(counts.trustedDevices()));
    }

    private static int saturated(long count) {
        return (int) Math.min(count, Integer.MAX_VALUE);
    }
}
