package dev.twofold.totp;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.AccountId;
import dev.twofold.account.Caller;
import dev.twofold.api.TwoFactorApi;
import dev.twofold.api.model.AccountPolicy;
import dev.twofold.api.model.AppPasscodeCounts;
import dev.twofold.api.model.SecondFactorMethod;
import dev.twofold.api.model.SecondFactorVerification;
import dev.twofold.api.model.SecondFactorVerified;
import dev.twofold.api.model.TotpAlgorithm;
import dev.twofold.api.model.TotpCodeSubmission;
import dev.twofold.api.model.TotpEnrollmentStarted;
import dev.twofold.api.model.TwoFactorEnabled;
import dev.twofold.api.model.TwoFactorStatus;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.RequestOrigins;
import dev.twofold.device.TrustedDeviceService;
import dev.twofold.policy.DomainPolicies;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;

@Authenticated
public class TwoFactorResource implements TwoFactorApi {

    private final TwoFactorService twoFactor;
    private final EnrollmentService enrollment;
    private final SecondFactorVerifier verifier;
    private final AccountAccess access;
    private final HttpServerRequest request;
    private final TrustedDeviceService devices;
    private final DomainPolicies policies;
    private final Clock clock;

    TwoFactorResource(
            TwoFactorService twoFactor,
            EnrollmentService enrollment,
            SecondFactorVerifier verifier,
            AccountAccess access,
            HttpServerRequest request,
            TrustedDeviceService devices,
            DomainPolicies policies,
            Clock clock) {
        this.twoFactor = twoFactor;
        this.enrollment = enrollment;
        this.verifier = verifier;
        this.access = access;
        this.request = request;
        this.devices = devices;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public Uni<TwoFactorStatus> getTwoFactorStatus(String accountId) {
        AccountId account = access.ownerOrAdmin(accountId);
        return twoFactor
                .state(account)
                .flatMap(state -> policies.forAccount(account, clock.instant())
                        .map(policy -> new TwoFactorStatus()
                                .accountId(account.value())
                                .enabled(state.enabled())
                                .enabledAt(state.enabledAt().orElse(null))
                                .pendingEnrollment(state.pendingEnrollment())
                                .recoveryCodes(RecoveryCodesResource.status(state.recoveryCodes()))
                                .appPasscodes(new AppPasscodeCounts().active((int) state.activeAppPasscodes()))
                                .lockedUntil(state.lockedUntil().orElse(null))
                                .policy(policy.map(TwoFactorResource::policy).orElse(null))));
    }

    private static AccountPolicy policy(dev.twofold.policy.AccountPolicy policy) {
        return new AccountPolicy()
                .twoFactorRequired(policy.twoFactorRequired())
                .enrollmentDeadline(policy.enrollmentDeadline().orElse(null))
                .mailPasswordAllowed(policy.mailPasswordAllowed());
    }

    @Override
    public Uni<TotpEnrollmentStarted> startTotpEnrollment(String accountId) {
        AccountId account = access.ownerWithRecentSignIn(accountId);
        return enrollment
                .enroll(account)
                .map(started -> new TotpEnrollmentStarted()
                        .secret(started.secret())
                        .manualEntryKey(started.manualEntryKey())
                        .otpauthUri(URI.create(started.otpauthUri()))
                        .qrCodeSvg(started.qrCodeSvg())
                        .algorithm(TotpAlgorithm.fromValue(started.algorithm().name()))
                        .digits(started.digits())
                        .period((int) started.periodSeconds())
                        .issuer(started.issuer())
                        .expiresAt(started.expiresAt()));
    }

    @Override
    public Uni<TwoFactorEnabled> confirmTotpEnrollment(String accountId, TotpCodeSubmission submission) {
        AccountId account = access.owner(accountId);
        return enrollment
                .confirm(account, submission.getCode(), RequestOrigins.of(request))
                .map(enabled -> new TwoFactorEnabled()
                        .enabled(true)
                        .enabledAt(enabled.enabledAt())
                        .recoveryCodes(enabled.recoveryCodes()));
    }

    @Override
    public Uni<SecondFactorVerified> verifySecondFactor(String accountId, SecondFactorVerification verification) {
        boolean trustDevice = Boolean.TRUE.equals(verification.getTrustDevice());
        // A device token is a credential of the owner's browser: a mail server never obtains one.
        AccountId account = trustDevice ? access.owner(accountId) : access.ownerOrMailServer(accountId);
        EventOrigin origin = RequestOrigins.of(request);
        return verifier.verify(account, verification.getCode(), origin).flatMap(verified -> {
            SecondFactorVerified answer = new SecondFactorVerified()
                    .method(SecondFactorMethod.fromValue(verified.method().slug()))
                    .verifiedAt(verified.verifiedAt())
                    .recoveryCodesRemaining(verified.recoveryCodesRemaining())
                    .assertion(verified.assertion());
            if (!trustDevice) {
                return Uni.createFrom().item(answer);
            }
            return devices.trust(account, Optional.ofNullable(verification.getDeviceName()), origin)
                    .map(device -> answer.deviceToken(device.token())
                            .trustedDeviceId(device.id())
                            .trustedUntil(device.expiresAt()));
        });
    }

    @Override
    public Uni<Void> disableTwoFactor(String accountId) {
        AccountId account = access.ownerWithRecentSignInOrAdmin(accountId);
        Caller caller = access.caller();
        return twoFactor.disable(
                account, caller.isAdmin(), RequestOrigins.of(request).by(caller));
    }
}
