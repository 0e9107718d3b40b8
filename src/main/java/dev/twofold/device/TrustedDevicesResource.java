package dev.twofold.device;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.AccountId;
import dev.twofold.api.TrustedDevicesApi;
import dev.twofold.api.model.TrustedDeviceList;
import dev.twofold.api.model.TrustedDeviceSummary;
import dev.twofold.api.model.TrustedDeviceVerification;
import dev.twofold.api.model.TrustedDeviceVerified;
import dev.twofold.audit.RequestOrigins;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;

@Authenticated
public class TrustedDevicesResource implements TrustedDevicesApi {

    private final TrustedDeviceService devices;
    private final AccountAccess access;
    private final HttpServerRequest request;

    TrustedDevicesResource(TrustedDeviceService devices, AccountAccess access, HttpServerRequest request) {
        this.devices = devices;
        this.access = access;
        this.request = request;
    }

    @Override
    public Uni<TrustedDeviceVerified> verifyTrustedDevice(String accountId, TrustedDeviceVerification verification) {
        AccountId account = access.owner(accountId);
        return devices.verify(account, verification.getDeviceToken(), RequestOrigins.of(request))
                .map(verified -> new TrustedDeviceVerified()
                        .deviceId(verified.deviceId())
                        .verifiedAt(verified.verifiedAt())
                        .trustedUntil(verified.trustedUntil())
                        .assertion(verified.assertion()));
    }

    @Override
    public Uni<TrustedDeviceList> listTrustedDevices(String accountId) {
        AccountId account = access.ownerOrAdmin(accountId);
        return devices.active(account)
                .map(active -> new TrustedDeviceList()
                        .items(active.stream()
                                .map(device -> new TrustedDeviceSummary()
                                        .id(device.id)
                                        .name(device.name)
                                        .createdAt(device.createdAt)
                                        .lastUsedAt(device.lastUsedAt == null ? null : device.lastUsedAt)
                                        .expiresAt(device.expiresAt)
                                        .createdIp(device.createdIp))
                                .toList()));
    }

    @Override
    public Uni<Void> forgetTrustedDevice(String accountId, UUID deviceId) {
        AccountId account = access.ownerOrAdmin(accountId);
        return devices.forget(account, deviceId, RequestOrigins.of(request).by(access.caller()));
    }

    @Override
    public Uni<Void> forgetAllTrustedDevices(String accountId) {
        AccountId account = access.ownerOrAdmin(accountId);
        return devices.forgetAll(account, RequestOrigins.of(request).by(access.caller()));
    }
}
