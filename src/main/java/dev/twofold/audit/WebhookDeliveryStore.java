package dev.twofold.audit;

import dev.twofold.account.AccountId;
import dev.twofold.api.model.WebhookDeliveryExport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The dispatcher's statements on {@code webhook_delivery}, on the raw reactive pool (they run outside requests). */
@ApplicationScoped
class WebhookDeliveryStore {

    /** A row this replica claimed; {@code attempts} already counts the attempt about to be made. */
    record Claimed(UUID id, String payload, int attempts) {}

    private static final String CLAIM = """
            update webhook_delivery set attempts = attempts + 1, next_attempt_at = $2
            where id in (select id from webhook_delivery
                         where abandoned_at is null and next_attempt_at <= $1
                         order by next_attempt_at
                         limit $3
                         for update skip locked)
            returning id, payload, attempts""";
    private static final String DELIVERED = "delete from webhook_delivery where id = $1";
    private static final String RETRY =
            "update webhook_delivery set next_attempt_at = $2, last_error = $3 where id = $1";
    private static final String ABANDON =
            "update webhook_delivery set abandoned_at = $2, last_error = $3 where id = $1";
    private static final String OF_ACCOUNT = """
            select d.id, d.event_id, d.created_at, d.next_attempt_at, d.attempts, d.abandoned_at
            from webhook_delivery d join security_event e on e.id = d.event_id
            where e.account_id = $1 order by d.created_at, d.id""";
    private static final String PENDING = "select count(*) from webhook_delivery where abandoned_at is null";

    private final Pool pool;

    WebhookDeliveryStore(Pool pool) {
        this.pool = pool;
    }

    /** Claims up to {@code limit} due deliveries until {@code leaseUntil} (other replicas skip them meanwhile). */
    Uni<List<Claimed>> claimDue(Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(utc(now), utc(leaseUntil), limit))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(
                                new Claimed(row.getUUID("id"), row.getString("payload"), row.getInteger("attempts")));
                    }
                    return claimed;
                });
    }

    Uni<Void> delivered(UUID id) {
        return pool.preparedQuery(DELIVERED).execute(Tuple.of(id)).replaceWithVoid();
    }

    Uni<Void> retryAt(UUID id, Instant next, String error) {
        return pool.preparedQuery(RETRY).execute(Tuple.of(id, utc(next), error)).replaceWithVoid();
    }

    Uni<Void> abandon(UUID id, Instant now, String error) {
        return pool.preparedQuery(ABANDON)
                .execute(Tuple.of(id, utc(now), error))
                .replaceWithVoid();
    }

    /** Deliveries not abandoned yet. */
    Uni<Long> pending() {
        return pool.query(PENDING).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** The undelivered deliveries of the account's events, without their payloads. */
    Uni<List<WebhookDeliveryExport>> ofAccount(AccountId account) {
        return pool.preparedQuery(OF_ACCOUNT).execute(Tuple.of(account.value())).map(rows -> {
            List<WebhookDeliveryExport> deliveries = new ArrayList<>();
            for (Row row : rows) {
                deliveries.add(new WebhookDeliveryExport()
                        .id(row.getUUID("id"))
                        .eventId(Long.toString(row.getLong("event_id")))
                        .createdAt(row.getOffsetDateTime("created_at").toInstant())
                        .nextAttemptAt(row.getOffsetDateTime("next_attempt_at").toInstant())
                        .attempts(row.getInteger("attempts"))
                        .abandonedAt(Optional.ofNullable(row.getOffsetDateTime("abandoned_at"))
                                .map(OffsetDateTime::toInstant)
                                .orElse(null)));
            }
            return deliveries;
        });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
