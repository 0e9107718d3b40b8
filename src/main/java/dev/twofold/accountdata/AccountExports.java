package dev.twofold.accountdata;

import dev.twofold.account.AccountId;
import dev.twofold.api.AppPasscodesApi;
import dev.twofold.api.SecurityEventsApi;
import dev.twofold.api.TrustedDevicesApi;
import dev.twofold.api.TwoFactorApi;
import dev.twofold.api.model.AccountExport;
import dev.twofold.api.model.RecordedSecurityEvent;
import dev.twofold.api.model.SecurityEventPage;
import dev.twofold.audit.WebhookDeliveryExports;
import dev.twofold.policy.PolicyExports;
import dev.twofold.recovery.RecoveryCodeExports;
import dev.twofold.totp.TotpExports;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything stored about an account, without secrets: composed of the features' own read operations,
 * so the export shows exactly what each feature already publishes (and hides what each one hides).
 * Those operations check the caller again, which they answer the same as the export's own check.
 */
@ApplicationScoped
class AccountExports {

    /** The contract's largest page of events, so an account's whole trail takes few queries. */
    private static final int EVENTS_PER_PAGE = 200;

    private final TwoFactorApi twoFactor;
    private final AppPasscodesApi passcodes;
    private final TrustedDevicesApi devices;
    private final SecurityEventsApi events;
    private final TotpExports totp;
    private final PolicyExports policy;
    private final RecoveryCodeExports recoveryCodes;
    private final WebhookDeliveryExports webhookDeliveries;
    private final Clock clock;

    AccountExports(
            TwoFactorApi twoFactor,
            AppPasscodesApi passcodes,
            TrustedDevicesApi devices,
            SecurityEventsApi events,
            TotpExports totp,
            PolicyExports policy,
            RecoveryCodeExports recoveryCodes,
            WebhookDeliveryExports webhookDeliveries,
            Clock clock) {
        this.twoFactor = twoFactor;
        this.passcodes = passcodes;
        this.devices = devices;
        this.events = events;
        this.totp = totp;
        this.policy = policy;
        this.recoveryCodes = recoveryCodes;
        this.webhookDeliveries = webhookDeliveries;
        this.clock = clock;
    }

    Uni<AccountExport> export(AccountId account) {
        String id = account.value();
        AccountExport export = new AccountExport().accountId(id).exportedAt(clock.instant());
        return twoFactor
                .getTwoFactorStatus(id)
                .invoke(export::twoFactor)
                .chain(() -> totp.export(account))
                .invoke(export::totp)
                .chain(() -> policy.export(account))
                .invoke(policies -> export.firstSeen(policies.firstSeen().orElse(null))
                        .domainPolicy(policies.domainPolicy().orElse(null)))
                .chain(() -> recoveryCodes.export(account))
                .invoke(export::recoveryCodes)
                .chain(() -> webhookDeliveries.export(account))
                .invoke(export::webhookDeliveries)
                .chain(() -> passcodes.listAppPasscodes(id))
                .invoke(list -> export.appPasscodes(list.getItems()))
                .chain(() -> devices.listTrustedDevices(id))
                .invoke(list -> export.trustedDevices(list.getItems()))
                .chain(() -> allEvents(id, Optional.empty(), new ArrayList<>()))
                .map(export::securityEvents);
    }

    private Uni<List<RecordedSecurityEvent>> allEvents(
            String account, Optional<String> before, List<RecordedSecurityEvent> collected) {
        return events.listSecurityEvents(account, EVENTS_PER_PAGE, before.orElse(null), null)
                .flatMap((SecurityEventPage page) -> {
                    collected.addAll(page.getItems());
                    return page.getNext() == null
                            ? Uni.createFrom().item(collected)
                            : allEvents(account, Optional.of(page.getNext()), collected);
                });
    }
}
