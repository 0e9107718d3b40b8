package dev.twofold.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Drains the webhook outbox. Every replica polls; a claim ({@code FOR UPDATE SKIP LOCKED}) moves a
 * row's {@code next_attempt_at} one lease ahead, so replicas never send the same row at once and a
 * replica that dies mid-delivery leaves the row to be retried after the lease. Failures back off
 * exponentially up to {@code max-backoff}; after {@code max-attempts} a row is abandoned (kept and
 * logged). Nothing here runs inside, or can fail, the request that recorded the event.
 */
@Startup
@ApplicationScoped
class WebhookDispatcher {

    static final String ID_HEADER = "Twofold-Webhook-Id";
    static final String TIMESTAMP_HEADER = "Twofold-Webhook-Timestamp";
    static final String SIGNATURE_HEADER = "Twofold-Webhook-Signature";

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /** Deliveries sent at the same time by one replica. */
    private static final int CONCURRENCY = 4;
    /** Full batches one poll drains before yielding to the next poll. */
    private static final int MAX_BATCHES_PER_POLL = 10;

    private final WebhookConfig config;
    private final WebhookDeliveryStore deliveries;
    private final Clock clock;
    private final Optional<String> url;
    private final byte[] secret;
    private final Duration lease;
    private final WebClient client;
    private final Counter delivered;
    private final Counter failedForGood;
    private final Counter failedForNow;
    private final AtomicLong pending = new AtomicLong();

    WebhookDispatcher(
            WebhookConfig config, WebhookDeliveryStore deliveries, Vertx vertx, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.deliveries = deliveries;
        this.clock = clock;
        this.url = config.url().map(URI::toString);
        this.secret = config.secret()
                .map(value -> value.getBytes(StandardCharsets.UTF_8))
                .orElse(new byte[0]);
        // Longer than any attempt can take, so a live replica's claim never expires under it.
        this.lease =
                config.timeout().multipliedBy(2).plus(config.pollInterval()).plusSeconds(30);
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setConnectTimeout((int)
                                Math.min(Integer.MAX_VALUE, config.timeout().toMillis()))
                        .setFollowRedirects(false)
                        .setUserAgent("Twofold-Webhooks/1"));
        this.delivered = Counter.builder("twofold.webhooks.delivered")
                .description("Security events accepted (2xx) by the webhook")
                .register(registry);
        this.failedForNow = failedCounter(registry, false);
        this.failedForGood = failedCounter(registry, true);
        registry.gauge("twofold.webhooks.pending", pending);
        config.url()
                .filter(target -> "http".equals(target.getScheme()))
                .ifPresent(target ->
                        LOG.warn("twofold.webhooks.url uses plain http: events cross the network unencrypted"));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Scheduled(every = "${twofold.webhooks.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deliverDue() {
        if (url.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return deliverBatches(MAX_BATCHES_PER_POLL)
                .call(this::refreshPending)
                .onFailure()
                .invoke(failure -> LOG.warnf("Webhook delivery round failed: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Claims and attempts batches of due deliveries while they come full, at most {@code batches} of them. */
    Uni<Void> deliverBatches(int batches) {
        return deliverBatch()
                .flatMap(attempted -> attempted == config.batchSize() && batches > 1
                        ? deliverBatches(batches - 1)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Integer> deliverBatch() {
        Instant now = clock.instant();
        return deliveries
                .claimDue(now, now.plus(lease), config.batchSize())
                .flatMap(claimed -> claimed.isEmpty()
                        ? Uni.createFrom().item(0)
                        : Multi.createFrom()
                                .iterable(claimed)
                                .onItem()
                                .transformToUni(this::attempt)
                                .merge(CONCURRENCY)
                                .collect()
                                .asList()
                                .map(List::size));
    }

    private Uni<Void> attempt(WebhookDeliveryStore.Claimed delivery) {
        long timestamp = clock.instant().getEpochSecond();
        return client.postAbs(url.orElseThrow())
                .timeout(config.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader(ID_HEADER, delivery.id().toString())
                .putHeader(TIMESTAMP_HEADER, Long.toString(timestamp))
                .putHeader(SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, delivery.payload()))
                .sendBuffer(Buffer.buffer(delivery.payload()))
                .ifNoItem()
                .after(config.timeout())
                .fail()
                .map(response -> response.statusCode() / 100 == 2
                        ? Optional.<String>empty()
                        : Optional.of("HTTP " + response.statusCode()))
                // The cause's message could quote the URL; its kind is enough to tell timeouts from refusals.
                .onFailure()
                .recoverWithItem(failure -> Optional.of(failure.getClass().getSimpleName()))
                .flatMap(error -> error.isEmpty() ? succeeded(delivery) : failed(delivery, error.get()));
    }

    private Uni<Void> succeeded(WebhookDeliveryStore.Claimed delivery) {
        delivered.increment();
        LOG.debugf("Webhook delivery %s accepted on attempt %d", delivery.id(), delivery.attempts());
        return deliveries.delivered(delivery.id());
    }

    private Uni<Void> failed(WebhookDeliveryStore.Claimed delivery, String error) {
        Instant now = clock.instant();
        if (delivery.attempts() >= config.maxAttempts()) {
            failedForGood.increment();
            LOG.warnf(
                    "Webhook delivery %s abandoned after %d attempts, last: %s",
                    delivery.id(), delivery.attempts(), error);
            return deliveries.abandon(delivery.id(), now, error);
        }
        failedForNow.increment();
        Duration wait = backoff(config.initialBackoff(), config.maxBackoff(), delivery.attempts());
        LOG.infof(
                "Webhook delivery %s failed on attempt %d (%s); next try in %s",
                delivery.id(), delivery.attempts(), error, wait);
        return deliveries.retryAt(delivery.id(), now.plus(wait), error);
    }

    private Uni<Void> refreshPending() {
        return deliveries.pending().invoke(pending::set).replaceWithVoid();
    }

    /** Wait after {@code failedAttempts} failures: {@code initial}, doubling each time, at most {@code max}. */
    static Duration backoff(Duration initial, Duration max, int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
        Duration wait = initial.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 ? max : wait;
    }

    private static Counter failedCounter(MeterRegistry registry, boolean finalFailure) {
        return Counter.builder("twofold.webhooks.failed")
                .description("Webhook delivery attempts that failed; final=true when the event was abandoned")
                .tag("final", Boolean.toString(finalFailure))
                .register(registry);
    }
}
