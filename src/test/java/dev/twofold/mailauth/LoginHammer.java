package dev.twofold.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs in with one passcode continuously from several threads, runs a revocation once logins are
 * flowing, and keeps logging in for a while after it returned; then checks that no login sent after
 * the revocation returned was accepted.
 */
final class LoginHammer {

    private static final int THREADS = 4;

    /** One login: whether it was sent after the revocation returned, and whether it was accepted. */
    private record Outcome(boolean sentAfterRevocation, boolean accepted) {}

    private LoginHammer() {}

    static void assertNoAcceptAfter(Runnable revoke, URI verifyUri, String account, String passcode) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String token = Tokens.mailServer();
        String body = "{\"accountId\":\"" + account + "\",\"secret\":\"" + passcode
                + "\",\"protocol\":\"imap\",\"clientIp\":\"198.51.100.23\"}";
        AtomicBoolean revoked = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch flowing = new CountDownLatch(THREADS * 20);
        CountDownLatch afterwards = new CountDownLatch(THREADS * 20);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        ExecutorService hammers = Executors.newFixedThreadPool(THREADS);
        for (int i = 0; i < THREADS; i++) {
            hammers.submit(() -> {
                while (!stop.get()) {
                    boolean sentAfter = revoked.get();
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(verifyUri)
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    // Rejections after the revocation soon trip the throttle (429): refused as well.
                    assertTrue(response.statusCode() == 200 || response.statusCode() == 429, response.body());
                    outcomes.add(new Outcome(
                            sentAfter,
                            response.statusCode() == 200 && response.body().contains("\"decision\":\"accept\"")));
                    flowing.countDown();
                    if (sentAfter) {
                        afterwards.countDown();
                    }
                }
                return null;
            });
        }
        assertTrue(flowing.await(120, TimeUnit.SECONDS), "logins did not get going");
        revoke.run();
        revoked.set(true);
        assertTrue(afterwards.await(120, TimeUnit.SECONDS), "too few logins after the revocation");
        stop.set(true);
        hammers.shutdown();
        assertTrue(hammers.awaitTermination(60, TimeUnit.SECONDS));
        List<Outcome> all = List.copyOf(outcomes);
        assertTrue(
                all.stream().anyMatch(outcome -> !outcome.sentAfterRevocation() && outcome.accepted()),
                "the passcode was not accepted before the revocation");
        assertEquals(
                0,
                all.stream()
                        .filter(outcome -> outcome.sentAfterRevocation() && outcome.accepted())
                        .count(),
                "accepted logins sent after the revocation returned");
    }
}
