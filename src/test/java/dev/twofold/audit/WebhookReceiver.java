package dev.twofold.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on a free loopback port, written the way a mail system's would be: it checks
 * the signature and refuses deliveries older than five minutes. Tests tell it to fail the first
 * deliveries of an account (a receiver outage) and read what it accepted.
 */
public class WebhookReceiver implements QuarkusTestResourceLifecycleManager {

    static final String SECRET = "test-webhook-secret-0123456789abcdefghij";
    private static final long MAX_AGE_SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received, whatever the receiver answered. */
    record Delivery(
            String id,
            String timestamp,
            String signature,
            String body,
            JsonNode event,
            boolean verified,
            int answered) {}

    private static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();
    private static final Map<String, AtomicInteger> FAILURES_LEFT = new ConcurrentHashMap<>();
    private static HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", WebhookReceiver::handle);
        server.start();
        return Map.of(
                "twofold.webhooks.url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                "twofold.webhooks.secret",
                SECRET);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The next {@code times} deliveries of events of {@code accountId} are answered 500. */
    static void failNext(String accountId, int times) {
        FAILURES_LEFT.put(accountId, new AtomicInteger(times));
    }

    /** Every request received for events of {@code accountId}, in arrival order. */
    static List<Delivery> deliveriesFor(String accountId) {
        return DELIVERIES.stream()
                .filter(d -> accountId.equals(d.event().path("accountId").asText()))
                .toList();
    }

    static List<Delivery> all() {
        return List.copyOf(DELIVERIES);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = exchange.getRequestHeaders().getFirst("Twofold-Webhook-Id");
        String timestamp = exchange.getRequestHeaders().getFirst("Twofold-Webhook-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("Twofold-Webhook-Signature");
        JsonNode event = JSON.readTree(body);
        boolean verified = verify(timestamp, signature, body);
        AtomicInteger failures = FAILURES_LEFT.get(event.path("accountId").asText());
        int status = !verified ? 401 : failures != null && failures.getAndDecrement() > 0 ? 500 : 204;
        DELIVERIES.add(new Delivery(id, timestamp, signature, body, event, verified, status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** What the README tells receivers to do: recompute the HMAC, compare in constant time, check the age. */
    static boolean verify(String timestamp, String signature, String body) {
        if (timestamp == null || signature == null || !signature.startsWith("v1=")) {
            return false;
        }
        long age = Instant.now().getEpochSecond() - Long.parseLong(timestamp);
        if (Math.abs(age) > MAX_AGE_SECONDS) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            byte[] received = HexFormat.of().parseHex(signature.substring(3));
            return MessageDigest.isEqual(expected, received);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
