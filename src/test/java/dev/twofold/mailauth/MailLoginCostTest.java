package dev.twofold.mailauth;

import static dev.twofold.testing.Passcodes.decide;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a login costs: Argon2 evaluations, database writes, and when the cache may answer. */
@QuarkusTest
class MailLoginCostTest {

    @Inject
    Argon2Hasher argon2;

    @Inject
    MailLoginCache cache;

    @Inject
    TestClock clock;

    @TestHTTPResource("/v1/mail-auth/verify")
    URI verifyUri;

    private final String account = Accounts.fresh();

    @BeforeEach
    void cacheInSync() {
        CacheSync.await(cache);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void loginCostsAtMostOneArgon2EvaluationWithTwentyFivePasscodes() {
        List<Passcodes.Created> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(Passcodes.create(account, "Device " + i));
        }
        Passcodes.Created last = created.get(24);

        assertEquals(
                1,
                evaluationsFor(
                        () -> decide(account, last.passcode(), "imap", null).body("decision", equalTo("accept"))));
        assertEquals(
                1,
                evaluationsFor(() ->
                        decide(account, created.get(0).passcode(), "smtp", null).body("decision", equalTo("accept"))));
        assertEquals(
                0,
                evaluationsFor(
                        () -> decide(account, last.passcode(), "imap", null).body("decision", equalTo("accept"))));
        assertEquals(
                0,
                evaluationsFor(() -> decide(account, "zzzz zzzz zzzz zzzz", "imap", null)
                        .body("decision", equalTo("use-password"))));
        assertEquals(
                0,
                evaluationsFor(() -> decide(account, "the primary password", "imap", null)
                        .body("decision", equalTo("use-password"))));
    }

    @Test
    void concurrentFirstLoginsShareOneArgon2Evaluation() throws Exception {
        Passcodes.Created passcode = Passcodes.create(account, "Shared mailbox");
        String token = Tokens.mailServer();
        String body =
                "{\"accountId\":\"" + account + "\",\"secret\":\"" + passcode.passcode() + "\",\"protocol\":\"imap\"}";
        HttpClient client = HttpClient.newHttpClient();
        int logins = 48;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(logins);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        long before = argon2.evaluations();
        for (int i = 0; i < logins; i++) {
            responses.add(threads.submit(() -> {
                start.await();
                return client.send(
                        HttpRequest.newBuilder(verifyUri)
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            }));
        }
        start.countDown();
        for (Future<HttpResponse<String>> response : responses) {
            HttpResponse<String> answer = response.get(120, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"decision\":\"accept\""), answer.body());
        }
        threads.shutdown();
        assertEquals(1, argon2.evaluations() - before);
    }

    @Test
    void repeatedLoginsAreAnsweredFromMemory() {
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        decide(account, passcode.passcode(), "imap", "198.51.100.23");
        assertEquals(0, evaluationsFor(() -> {
            for (int i = 0; i < 10; i++) {
                decide(account, passcode.passcode(), "imap", "198.51.100.23").body("decision", equalTo("accept"));
            }
        }));
    }

    @Test
    void useIsWrittenAtMostOncePerResolutionAndAtOnceFromANewIp() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(start);
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        decide(account, passcode.passcode(), "imap", "198.51.100.23");
        assertLastUse(passcode, start, "198.51.100.23", "imap");

        clock.fix(start.plusSeconds(30));
        decide(account, passcode.passcode(), "smtp", "198.51.100.23");
        assertLastUse(passcode, start, "198.51.100.23", "imap");

        clock.fix(start.plusSeconds(61));
        decide(account, passcode.passcode(), "smtp", "198.51.100.23");
        assertLastUse(passcode, start.plusSeconds(61), "198.51.100.23", "smtp");

        clock.fix(start.plusSeconds(62));
        decide(account, passcode.passcode(), "imap", "2001:db8::1");
        assertLastUse(passcode, start.plusSeconds(62), "2001:db8::1", "imap");
    }

    @Test
    void firstUseFromEachIpIsReportedOnce() {
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        for (int i = 0; i < 3; i++) {
            decide(account, passcode.passcode(), "imap", "198.51.100.23");
        }
        decide(account, passcode.passcode(), "imap", "2001:DB8:0:0::5");
        decide(account, passcode.passcode(), "imap", "198.51.100.23");
        List<Object[]> events = Jdbc.query(
                "select ip, protocol, detail->>'passcodeName' from security_event"
                        + " where account_id = ? and type = 'passcode-new-ip' order by id",
                account);
        assertEquals(2, events.size());
        assertEquals("198.51.100.23", events.get(0)[0]);
        assertEquals("imap", events.get(0)[1]);
        assertEquals("Phone", events.get(0)[2]);
        assertEquals("2001:db8::5", events.get(1)[0]);
    }

    @Test
    void afterTheListenerIsLostLoginsReadTheDatabaseButStillSkipArgon2() {
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        decide(account, passcode.passcode(), "imap", null);
        long terminated = Jdbc.count("select count(pg_terminate_backend(pid)) from pg_stat_activity"
                + " where datname = current_database() and query like 'LISTEN %twofold_credentials%'");
        assertEquals(1, terminated);
        awaitCacheOff();
        // A change nobody was told about: whether or not the listener is back already, the next
        // login reads it from the database, and the value verified before still needs no Argon2.
        Jdbc.update("update app_passcode set name = 'Renamed quietly' where id = ?", passcode.id());
        assertEquals(
                0,
                evaluationsFor(() -> decide(account, passcode.passcode(), "imap", null)
                        .body("credential.name", equalTo("Renamed quietly"))));
        CacheSync.await(cache);
        decide(account, passcode.passcode(), "imap", null);
        assertEquals(0, evaluationsFor(() -> decide(account, passcode.passcode(), "imap", null)));
    }

    private void awaitCacheOff() {
        await("The listener loss was not noticed within 10 s")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !cache.usable());
    }

    private long evaluationsFor(Runnable logins) {
        long before = argon2.evaluations();
        logins.run();
        return argon2.evaluations() - before;
    }

    private void assertLastUse(Passcodes.Created passcode, Instant at, String ip, String protocol) {
        var summary = Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/app-passcodes/{pid}", account, passcode.id())
                .then()
                .statusCode(200)
                .body("lastUsedIp", equalTo(ip))
                .body("lastUsedProtocol", equalTo(protocol))
                .extract();
        assertEquals(at, Instant.parse(summary.path("lastUsedAt")));
    }
}
