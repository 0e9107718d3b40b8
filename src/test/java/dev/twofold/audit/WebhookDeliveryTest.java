package dev.twofold.audit;

import static dev.twofold.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.account.AccountId;
import dev.twofold.device.IssuedDevice;
import dev.twofold.device.TrustedDeviceService;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(WebhooksOn.class)
class WebhookDeliveryTest {

    /** Only stops a broken build from hanging: one dispatcher run takes milliseconds here. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private static final Duration JUST_UNDER = Duration.ofMillis(1);

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    SecurityEventLog log;

    @Inject
    TrustedDeviceService devices;

    @Inject
    Pool database;

    @Inject
    TestClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void receiverVerifiesTheSignatureOfEachEvent() {
        String account = Accounts.fresh();
        RecordedEvents.record(
                log,
                account,
                SecurityEventType.PASSCODE_NEW_IP,
                RecordedEvents.mailLogin("198.51.100.23", "imap"),
                Map.of("passcodeName", "Thunderbird"));

        WebhookReceiver.Delivery delivery = deliver(account, 1).get(0);

        assertTrue(delivery.verified(), "signature and timestamp check out");
        assertEquals(204, delivery.answered());
        UUID.fromString(delivery.id());
        JsonPath listed = Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                listed.getString("items[0].id"), delivery.event().path("id").asText());
        assertEquals("passcode-new-ip", delivery.event().path("type").asText());
        assertEquals(account, delivery.event().path("accountId").asText());
        assertEquals(
                OffsetDateTime.parse(listed.getString("items[0].occurredAt")).toInstant(),
                Instant.parse(delivery.event().path("occurredAt").asText()));
        assertEquals("198.51.100.23", delivery.event().path("ip").asText());
        assertEquals("imap", delivery.event().path("protocol").asText());
        assertEquals(
                "Thunderbird",
                delivery.event().path("detail").path("passcodeName").asText());
        assertEquals(0, outboxRows(account), "the delivered row leaves the outbox");
    }

    @Test
    void aTotpSignInIsDeliveredWithTheEventAsListed() {
        String account = Accounts.fresh();
        TwoFactorSteps.Enabled enabled = TwoFactorSteps.enable(account, clock);
        TwoFactorSteps.verify(account, enabled.codeAfter(1)).statusCode(200);

        WebhookReceiver.Delivery delivery = deliver(account, 2).stream()
                .filter(received -> received.event().path("type").asText().equals("verify-succeeded"))
                .findFirst()
                .orElseThrow();
        assertTrue(delivery.verified());
        JsonPath listed = Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("verify-succeeded", listed.getString("items[0].type"));
        assertEquals(
                listed.getString("items[0].id"), delivery.event().path("id").asText());
        // The sign-in's insert numbers the event and splices the id into the body: the same text as
        // a body written with the id known.
        assertTrue(
                delivery.body()
                        .startsWith("{\"id\":\"" + listed.getString("items[0].id")
                                + "\",\"type\":\"verify-succeeded\",\"accountId\":"),
                delivery.body());
        assertEquals(
                OffsetDateTime.parse(listed.getString("items[0].occurredAt")).toInstant(),
                Instant.parse(delivery.event().path("occurredAt").asText()));
        assertEquals("totp", delivery.event().path("detail").path("method").asText());
        assertEquals("totp", listed.getString("items[0].detail.method"));
        assertNotNull(listed.getString("items[0].ip"));
        assertEquals(
                listed.getString("items[0].ip"), delivery.event().path("ip").asText());
        assertNotNull(listed.getString("items[0].userAgent"));
        assertEquals(
                listed.getString("items[0].userAgent"),
                delivery.event().path("userAgent").asText());
        assertEquals(0, outboxRows(account), "the delivered rows leave the outbox");
    }

    @Test
    void parallelTotpSignInsFromBrowsersWithLongAgentsEachDeliverTheirOwnEvent() throws Exception {
        int signIns = 8;
        List<TwoFactorSteps.Enabled> accounts = new ArrayList<>();
        for (int i = 0; i < signIns; i++) {
            accounts.add(TwoFactorSteps.enable(Accounts.fresh(), clock));
        }
        // Longer than the 200 characters kept, with characters the webhook body must escape.
        String agent = "Mozilla/5.0 (\"quoted\" \\ back) ".repeat(12);
        ExecutorService browsers = Executors.newFixedThreadPool(signIns);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (TwoFactorSteps.Enabled enabled : accounts) {
                answers.add(browsers.submit(() -> {
                    start.await();
                    return Api.as(Tokens.owner(enabled.account()))
                            .header("User-Agent", agent)
                            .body(Map.of("code", enabled.codeAfter(1)))
                            .post("/v1/accounts/{id}/two-factor/verify", enabled.account())
                            .statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            browsers.shutdownNow();
        }

        Set<String> eventIds = new HashSet<>();
        for (TwoFactorSteps.Enabled enabled : accounts) {
            WebhookReceiver.Delivery delivery = deliver(enabled.account(), 2).stream()
                    .filter(received -> received.event().path("type").asText().equals("verify-succeeded"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(delivery.verified());
            JsonPath listed = Api.as(Tokens.owner(enabled.account()))
                    .get("/v1/accounts/{id}/security-events", enabled.account())
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            String eventId = listed.getString("items[0].id");
            assertEquals(eventId, delivery.event().path("id").asText());
            assertTrue(delivery.body().startsWith("{\"id\":\"" + eventId + "\","), delivery.body());
            assertEquals(enabled.account(), delivery.event().path("accountId").asText());
            assertEquals(agent.substring(0, 200), listed.getString("items[0].userAgent"));
            assertEquals(
                    agent.substring(0, 200), delivery.event().path("userAgent").asText());
            assertTrue(eventIds.add(eventId), "event " + eventId + " delivered for two sign-ins");
        }
    }

    @Test
    void signatureSchemeRefusesTamperedBodiesAndOldTimestamps() {
        String account = Accounts.fresh();
        RecordedEvents.record(log, account, SecurityEventType.LOCKOUT);
        WebhookReceiver.Delivery delivery = deliver(account, 1).get(0);

        assertTrue(WebhookReceiver.verify(delivery.timestamp(), delivery.signature(), delivery.body()));
        assertFalse(WebhookReceiver.verify(
                delivery.timestamp(), delivery.signature(), delivery.body().replace("lockout", "verify-succeeded")));
        long old = Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond();
        String replayed =
                WebhookSignature.sign(WebhookReceiver.SECRET.getBytes(StandardCharsets.UTF_8), old, delivery.body());
        assertFalse(WebhookReceiver.verify(String.valueOf(old), replayed, delivery.body()));
    }

    @Test
    void receiverOutageDelaysButNeitherFailsTheRequestNorLosesTheEvent() {
        String account = Accounts.fresh();
        clock.fix(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        trust(account);
        deliver(account, 1);
        WebhookReceiver.failNext(account, 3);

        // The request that causes the event succeeds while the receiver is failing.
        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .statusCode(204);
        deliver(account, 2);

        // Back-off: 1 s, then 2 s, then 2 s (doubling, capped by max-backoff); never an attempt before it ends.
        for (Duration backoff : List.of(INITIAL_BACKOFF, MAX_BACKOFF, MAX_BACKOFF)) {
            int attemptsSoFar = WebhookReceiver.deliveriesFor(account).size();
            clock.advance(backoff.minus(JUST_UNDER));
            deliver(account, attemptsSoFar);
            clock.advance(JUST_UNDER);
            deliver(account, attemptsSoFar + 1);
        }
        List<WebhookReceiver.Delivery> attempts =
                WebhookReceiver.deliveriesFor(account).subList(1, 5);
        assertEquals(
                List.of(500, 500, 500, 204),
                attempts.stream().map(WebhookReceiver.Delivery::answered).toList());
        assertEquals(
                1,
                attempts.stream().map(WebhookReceiver.Delivery::id).distinct().count(),
                "one delivery id across retries");
        assertTrue(attempts.stream().allMatch(WebhookReceiver.Delivery::verified));
        assertEquals(0, outboxRows(account), "the delivered row leaves the outbox");
        clock.advance(Duration.ofMinutes(10));
        assertEquals(5, deliver(account, 5).size(), "delivered once, no attempt after the success");
    }

    @Test
    void deliveryIsAbandonedAfterMaxAttemptsAndCounted() {
        String account = Accounts.fresh();
        clock.fix(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        WebhookReceiver.failNext(account, 1000);
        RecordedEvents.record(log, account, SecurityEventType.RECOVERY_CODES_LOW);

        for (int attempt = 1; attempt <= WebhooksOn.MAX_ATTEMPTS; attempt++) {
            deliver(account, attempt);
            clock.advance(MAX_BACKOFF);
        }
        Row row = outboxRow(account).orElseThrow();
        assertNotNull(row.getValue("abandoned_at"), "the row is marked abandoned");
        assertEquals(WebhooksOn.MAX_ATTEMPTS, row.getInteger("attempts"));
        assertEquals("HTTP 500", row.getString("last_error"));
        clock.advance(Duration.ofMinutes(10));
        deliver(account, WebhooksOn.MAX_ATTEMPTS);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("twofold_webhooks_failed_total{final=\"true\""))
                .body(containsString("twofold_webhooks_failed_total{final=\"false\""))
                .body(containsString("twofold_webhooks_delivered_total"))
                .body(containsString("twofold_webhooks_pending"));
    }

    @Test
    void rowLeftInTheOutboxByAStoppedReplicaIsDeliveredOnTheNextRun() {
        String account = Accounts.fresh();
        String payload = "{\"id\":\"987654\",\"type\":\"lockout\",\"accountId\":\"" + account
                + "\",\"occurredAt\":\"2026-11-23T10:02:19Z\"}";
        Instant claimedByDeadReplica = Instant.now().minus(Duration.ofMinutes(10));
        // Written, claimed once, then the process died: the lease ran out long ago.
        database.preparedQuery(
                        "insert into webhook_delivery (id, event_id, payload, created_at, attempts, next_attempt_at) "
                                + "values ($1, 987654, $2, $3, 1, $3)")
                .execute(Tuple.of(UUID.randomUUID(), payload, claimedByDeadReplica.atOffset(ZoneOffset.UTC)))
                .await()
                .indefinitely();

        WebhookReceiver.Delivery delivery = deliver(account, 1).get(0);

        assertTrue(delivery.verified());
        assertEquals(payload, delivery.body());
        assertEquals(0, outboxRows(account), "the delivered row leaves the outbox");
    }

    @Test
    void eventOfARolledBackTransactionIsNeitherStoredNorSent() throws Throwable {
        String account = Accounts.fresh();
        assertThrows(
                IllegalStateException.class,
                () -> VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> log.record(
                                AccountId.of(account), SecurityEventType.TWO_FACTOR_DISABLED, EventOrigin.unknown())
                        .chain(() -> Uni.createFrom().failure(new IllegalStateException("the change failed"))))));
        RecordedEvents.record(log, account, SecurityEventType.TWO_FACTOR_ENABLED);

        deliver(account, 1);
        assertEquals(
                List.of("two-factor-enabled"),
                WebhookReceiver.deliveriesFor(account).stream()
                        .map(delivery -> delivery.event().path("type").asText())
                        .toList());
        assertEquals(
                0,
                database.preparedQuery("select count(*) from security_event where account_id = $1 and type = $2")
                        .execute(Tuple.of(account, "two-factor-disabled"))
                        .await()
                        .indefinitely()
                        .iterator()
                        .next()
                        .getLong(0));
    }

    @Test
    void noEventWebhookBodyOrLogLineContainsASecret() {
        List<String> logLines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
                logLines.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        String account = Accounts.fresh();
        IssuedDevice device;
        try {
            device = trust(account);
            Api.as(Tokens.owner(account))
                    .body(Map.of("deviceToken", device.token()))
                    .post("/v1/accounts/{id}/trusted-devices/verify", account)
                    .then()
                    .statusCode(200);
            assertProblem(
                    Api.as(Tokens.owner(Accounts.fresh()))
                            .body(Map.of("deviceToken", device.token()))
                            .post("/v1/accounts/{id}/trusted-devices/verify", account)
                            .then(),
                    404,
                    "not-found");
            String stranger = Accounts.fresh();
            assertProblem(
                    Api.as(Tokens.owner(stranger))
                            .body(Map.of("deviceToken", device.token()))
                            .post("/v1/accounts/{id}/trusted-devices/verify", stranger)
                            .then(),
                    422,
                    "invalid-device-token");
            Api.as(Tokens.owner(account))
                    .delete("/v1/accounts/{id}/trusted-devices/{d}", account, device.id())
                    .then()
                    .statusCode(204);
            deliver(account, 3);
            assertEquals(1, WebhookReceiver.deliveriesFor(stranger).size());
        } finally {
            root.removeHandler(capture);
        }

        List<String> secrets = List.of(device.token(), WebhookReceiver.SECRET);
        for (String secret : secrets) {
            for (WebhookReceiver.Delivery delivery : WebhookReceiver.all()) {
                assertFalse(delivery.body().contains(secret), "webhook body " + delivery.body());
            }
            assertTrue(logLines.stream().noneMatch(line -> line.contains(secret)), "a log line holds a secret");
            String stored = database.query(
                            "select coalesce(string_agg(concat_ws('|', type, ip, user_agent, detail::text), ';'), '') "
                                    + "from security_event")
                    .execute()
                    .await()
                    .indefinitely()
                    .iterator()
                    .next()
                    .getString(0);
            assertFalse(stored.contains(secret), "an event holds a secret");
        }
        assertFalse(logLines.isEmpty(), "the capture saw the service's logging");
    }

    private IssuedDevice trust(String account) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> devices.trust(
                    AccountId.of(account), Optional.of("Firefox"), EventOrigin.web("203.0.113.77", "Firefox")));
        } catch (Throwable e) {
            throw new IllegalStateException("trusting a device failed", e);
        }
    }

    /**
     * One scheduled run of the dispatcher, by the test clock; then every delivery of {@code account}'s
     * events so far, which must be exactly {@code expected} (the receiver records a request before answering it).
     */
    private List<WebhookReceiver.Delivery> deliver(String account, int expected) {
        dispatcher.deliverDue().await().atMost(PATIENCE);
        List<WebhookReceiver.Delivery> deliveries = WebhookReceiver.deliveriesFor(account);
        assertEquals(expected, deliveries.size(), "deliveries for " + account + " at " + clock.instant());
        return deliveries;
    }

    private long outboxRows(String account) {
        return database.preparedQuery("select count(*) from webhook_delivery where payload like $1")
                .execute(Tuple.of("%\"accountId\":\"" + account + "\"%"))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private Optional<Row> outboxRow(String account) {
        var rows = database.preparedQuery("select * from webhook_delivery where payload like $1")
                .execute(Tuple.of("%\"accountId\":\"" + account + "\"%"))
                .await()
                .indefinitely();
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }
}
