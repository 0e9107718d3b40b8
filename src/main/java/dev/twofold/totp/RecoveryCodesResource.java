package dev.twofold.totp;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.AccountId;
import dev.twofold.api.RecoveryCodesApi;
import dev.twofold.api.model.RecoveryCodeStatus;
import dev.twofold.api.model.RecoveryCodesIssued;
import dev.twofold.audit.RequestOrigins;
import dev.twofold.recovery.RecoveryCodeService;
import dev.twofold.recovery.RecoveryCodeStatistics;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

@Authenticated
public class RecoveryCodesResource implements RecoveryCodesApi {

    private final RecoveryCodeService recoveryCodes;
    private final TwoFactorService twoFactor;
    private final AccountAccess access;
    private final HttpServerRequest request;

    RecoveryCodesResource(
            RecoveryCodeService recoveryCodes,
            TwoFactorService twoFactor,
            AccountAccess access,
            HttpServerRequest request) {
        this.recoveryCodes = recoveryCodes;
        this.twoFactor = twoFactor;
        this.access = access;
        this.request = request;
    }

    @Override
    public Uni<RecoveryCodeStatus> getRecoveryCodeStatus(String accountId) {
        AccountId account = access.ownerOrAdmin(accountId);
        return recoveryCodes.statistics(account).map(RecoveryCodesResource::status);
    }

    @Override
    public Uni<RecoveryCodesIssued> regenerateRecoveryCodes(String accountId) {
        AccountId account = access.ownerWithRecentSignIn(accountId);
        // Codes exist only while two-factor authentication is on, so the two-factor service decides.
        return twoFactor
                .regenerateRecoveryCodes(account, RequestOrigins.of(request))
                .map(issued -> new RecoveryCodesIssued().codes(issued.codes()).generatedAt(issued.generatedAt()));
    }

    /** The public form of the counts (also part of the two-factor status). */
    static RecoveryCodeStatus status(RecoveryCodeStatistics statistics) {
        return new RecoveryCodeStatus()
                .remaining(statistics.remaining())
                .issued(statistics.issued())
                .generatedAt(statistics.generatedAt().orElse(null));
    }
}
