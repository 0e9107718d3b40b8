package dev.twofold.audit;

import dev.twofold.account.AccountId;
import dev.twofold.api.model.WebhookDeliveryExport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The account's undelivered webhook deliveries for its export: their state, never the signed payload. */
@ApplicationScoped
public class WebhookDeliveryExports {

    private final WebhookDeliveryStore deliveries;

    WebhookDeliveryExports(WebhookDeliveryStore deliveries) {
        this.deliveries = deliveries;
    }

    public Uni<List<WebhookDeliveryExport>> export(AccountId account) {
        return deliveries.ofAccount(account);
    }
}
