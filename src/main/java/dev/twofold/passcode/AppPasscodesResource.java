package dev.twofold.passcode;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.AccountId;
import dev.twofold.api.AppPasscodesApi;
import dev.twofold.api.model.AppPasscodeList;
import dev.twofold.api.model.AppPasscodeRename;
import dev.twofold.api.model.AppPasscodeRequest;
import dev.twofold.api.model.AppPasscodeSummary;
import dev.twofold.api.model.IssuedAppPasscode;
import dev.twofold.api.model.MailProtocolSlug;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.RequestOrigins;
import dev.twofold.network.IpRange;
import io.quarkus.security.Authenticated;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriBuilder;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

@Authenticated
public class AppPasscodesResource implements AppPasscodesApi {

    private final AppPasscodeService passcodes;
    private final AccountAccess access;
    private final CurrentVertxRequest request;

    AppPasscodesResource(AppPasscodeService passcodes, AccountAccess access, CurrentVertxRequest request) {
        this.passcodes = passcodes;
        this.access = access;
        this.request = request;
    }

    @Override
    public Uni<IssuedAppPasscode> createAppPasscode(String accountId, AppPasscodeRequest body) {
        AccountId account = access.ownerWithRecentSignIn(accountId);
        PasscodeRequest wanted = new PasscodeRequest(
                body.getName(),
                Optional.ofNullable(body.getProtocols()).map(AppPasscodesResource::protocols),
                Optional.ofNullable(body.getAllowedIps()).orElse(List.of()),
                Optional.ofNullable(body.getExpiresAt()));
        return passcodes.create(account, wanted, origin()).map(issued -> {
            AppPasscodeInfo info = issued.info();
            String location = UriBuilder.fromPath("/v1/accounts/{accountId}/app-passcodes/{passcodeId}")
                    .build(account.value(), info.id())
                    .toString();
            request.getCurrent().response().putHeader(HttpHeaders.LOCATION, location);
            return new IssuedAppPasscode()
                    .id(info.id())
                    .name(info.name())
                    .passcode(issued.passcode())
                    .protocols(protocols(info.scope()))
                    .allowedIps(allowedIps(info.scope()))
                    .createdAt(info.createdAt())
                    .expiresAt(info.expiresAt().orElse(null));
        });
    }

    @Override
    public Uni<AppPasscodeList> listAppPasscodes(String accountId) {
        AccountId account = access.ownerOrAdmin(accountId);
        return passcodes
                .list(account)
                .map(found -> new AppPasscodeList()
                        .items(found.stream().map(AppPasscodesResource::summary).toList()));
    }

    @Override
    public Uni<AppPasscodeSummary> getAppPasscode(String accountId, UUID passcodeId) {
        AccountId account = access.ownerOrAdmin(accountId);
        return passcodes.get(account, passcodeId).map(AppPasscodesResource::summary);
    }

    @Override
    public Uni<AppPasscodeSummary> renameAppPasscode(String accountId, UUID passcodeId, AppPasscodeRename rename) {
        AccountId account = access.owner(accountId);
        return passcodes.rename(account, passcodeId, rename.getName(), origin()).map(AppPasscodesResource::summary);
    }

    @Override
    public Uni<Void> revokeAppPasscode(String accountId, UUID passcodeId) {
        AccountId account = access.ownerOrAdmin(accountId);
        return passcodes.revoke(account, passcodeId, origin());
    }

    @Override
    public Uni<Void> revokeAllAppPasscodes(String accountId) {
        AccountId account = access.ownerWithRecentSignInOrAdmin(accountId);
        return passcodes.revokeAll(account, origin());
    }

    @Override
    public Uni<Void> recordPasswordChange(String accountId) {
        AccountId account = access.adminOrMailServer(accountId);
        return passcodes.passwordChanged(account, origin());
    }

    private EventOrigin origin() {
        return RequestOrigins.of(request.getCurrent().request()).by(access.caller());
    }

    private static AppPasscodeSummary summary(AppPasscodeInfo info) {
        return new AppPasscodeSummary()
                .id(info.id())
                .name(info.name())
                .protocols(protocols(info.scope()))
                .allowedIps(allowedIps(info.scope()))
                .createdAt(info.createdAt())
                .expiresAt(info.expiresAt().orElse(null))
                .lastUsedAt(info.lastUsedAt().orElse(null))
                .lastUsedIp(info.lastUsedIp().orElse(null))
                .lastUsedProtocol(
                        info.lastUsedProtocol().map(MailProtocolSlug::fromValue).orElse(null));
    }

    private static Set<MailProtocol> protocols(Set<MailProtocolSlug> requested) {
        return requested.stream()
                .map(protocol -> MailProtocol.ofSlug(protocol.toString()).orElseThrow())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(MailProtocol.class)));
    }

    private static Set<MailProtocolSlug> protocols(PasscodeScope scope) {
        return scope.protocols()
                .map(set -> set.stream()
                        .map(protocol -> MailProtocolSlug.fromValue(protocol.slug()))
                        .collect(Collectors.toCollection(LinkedHashSet::new)))
                .orElse(null);
    }

    private static List<String> allowedIps(PasscodeScope scope) {
        return scope.allowedIps().isEmpty()
                ? null
                : scope.allowedIps().stream().map(IpRange::toString).toList();
    }
}
