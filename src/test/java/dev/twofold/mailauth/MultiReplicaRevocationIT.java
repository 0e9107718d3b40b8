package dev.twofold.mailauth;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.PostgresTestDatabase;
import dev.twofold.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged application on one database: a passcode revoked through one is
 * never accepted by the other, answering from its cache under load, once the DELETE has returned;
 * a domain policy set or cleared through one applies to the other's very next login.
 */
class MultiReplicaRevocationIT {

    private static final String KEY = "it-throwaway:Bck1JyX+Gdz0IWr49yGpuBanIQ9dDF6ADIGZjIuFeU8=";

    private static final PostgresTestDatabase DATABASE = new PostgresTestDatabase();
    private static final List<Replica> REPLICAS = new ArrayList<>();
    private static Replica first;
    private static Replica second;

    private record Replica(String name, int port, Process process, Path log) {

        RequestSpecification as(String token) {
            return Api.as(token).port(port);
        }

        double cacheHits() {
            // Not part of the contract, so not validated against it.
            String metrics = RestAssured.given()
                    .port(port)
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            Matcher hits = Pattern.compile(
                            "(?m)^twofold_mail_auth_cache_lookups_total\\{[^}]*result=\"hit\"[^}]*} (\\S+)$")
                    .matcher(metrics);
            return hits.find() ? Double.parseDouble(hits.group(1)) : 0;
        }
    }

    @BeforeAll
    static void startReplicas() throws Exception {
        Map<String, String> database = DATABASE.start();
        // The first replica migrates the schema; the second starts once it is ready.
        first = start("replica-a", database);
        awaitReady(first);
        second = start("replica-b", database);
        awaitReady(second);
        awaitLogLine(first, "Listening for credential changes");
        awaitLogLine(second, "Listening for credential changes");
    }

    @AfterAll
    static void stopReplicas() throws Exception {
        for (Replica replica : REPLICAS) {
            replica.process().destroy();
            if (!replica.process().waitFor(30, TimeUnit.SECONDS)) {
                replica.process().destroyForcibly();
            }
        }
        DATABASE.stop();
    }

    @Test
    void passcodeRevokedOnOneReplicaIsNeverAcceptedByTheOtherAfterTheDeleteReturned() throws Exception {
        String account = Accounts.fresh();
        String passcode = first.as(Tokens.owner(account))
                .body(Map.of("name", "Phone"))
                .post("/v1/accounts/{id}/app-passcodes", account)
                .then()
                .statusCode(201)
                .extract()
                .path("passcode");
        String id = first.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/app-passcodes", account)
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].id");
        for (Replica replica : List.of(first, second)) {
            replica.as(Tokens.mailServer())
                    .body(Passcodes.login(account, passcode, "imap", "198.51.100.23"))
                    .post("/v1/mail-auth/verify")
                    .then()
                    .statusCode(200)
                    .body("decision", equalTo("accept"));
        }
        double hitsBefore = second.cacheHits();

        LoginHammer.assertNoAcceptAfter(
                () -> first.as(Tokens.owner(account))
                        .delete("/v1/accounts/{id}/app-passcodes/{pid}", account, id)
                        .then()
                        .statusCode(204),
                URI.create("http://localhost:" + second.port() + "/v1/mail-auth/verify"),
                account,
                passcode);

        assertTrue(second.cacheHits() > hitsBefore + 10, "the second replica did not answer from its cache");
        assertFalse(
                Files.readString(first.log()).contains("not confirmed"),
                "the revoking replica gave up waiting for the other one");
    }

    @Test
    void passwordChangeOnOneReplicaRevokesOnTheOther() {
        String account = Accounts.fresh();
        String passcode = second.as(Tokens.owner(account))
                .body(Map.of("name", "Laptop"))
                .post("/v1/accounts/{id}/app-passcodes", account)
                .then()
                .statusCode(201)
                .extract()
                .path("passcode");
        first.as(Tokens.mailServer())
                .body(Passcodes.login(account, passcode, "smtp", null))
                .post("/v1/mail-auth/verify")
                .then()
                .statusCode(200)
                .body("decision", equalTo("accept"));
        second.as(Tokens.mailServer())
                .post("/v1/accounts/{id}/password-changes", account)
                .then()
                .statusCode(204);
        first.as(Tokens.mailServer())
                .body(Passcodes.login(account, passcode, "smtp", null))
                .post("/v1/mail-auth/verify")
                .then()
                .statusCode(200)
                .body("reason", equalTo("revoked"));
    }

    @Test
    void policySetOnOneReplicaIsEnforcedOnTheOthersVeryNextLogin() {
        String domain = Accounts.freshDomain();
        String account = Accounts.freshIn(domain);
        // Loads the second replica's policies into memory: none for the domain.
        passwordLogin(second, account).body("decision", equalTo("use-password"));

        first.as(Tokens.admin())
                .body(Map.of("mailPassword", "never"))
                .put("/v1/admin/domains/{domain}/policy", domain)
                .then()
                .statusCode(200);
        passwordLogin(second, account).body("decision", equalTo("reject")).body("reason", equalTo("passcode-required"));

        first.as(Tokens.admin())
                .delete("/v1/admin/domains/{domain}/policy", domain)
                .then()
                .statusCode(204);
        passwordLogin(second, account).body("decision", equalTo("use-password"));
    }

    private static ValidatableResponse passwordLogin(Replica replica, String account) {
        return replica.as(Tokens.mailServer())
                .body(Passcodes.login(account, "primary password", "imap", "198.51.100.23"))
                .post("/v1/mail-auth/verify")
                .then()
                .statusCode(200);
    }

    private static Replica start(String name, Map<String, String> database) throws IOException {
        int port = freePort();
        Path log = Path.of("target", name + ".log");
        Path keys = Path.of("src/test/resources/keys").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=" + database.get("quarkus.datasource.reactive.url"),
                "-Dquarkus.datasource.jdbc.url=" + database.get("quarkus.datasource.jdbc.url"),
                "-Dquarkus.datasource.username=" + database.get("quarkus.datasource.username"),
                "-Dtwofold.encryption.keys=" + KEY,
                "-Dmp.jwt.verify.issuer=" + Tokens.ISSUER,
                "-Dmp.jwt.verify.publickey.location=" + keys.resolve("idp-public.pem"),
                "-Dsmallrye.jwt.sign.key.location=" + keys.resolve("assertion-private.pem"),
                "-jar",
                "target/quarkus-app/quarkus-run.jar"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Replica replica = new Replica(name, port, process, log);
        REPLICAS.add(replica);
        return replica;
    }

    private static void awaitReady(Replica replica) {
        HttpClient client = HttpClient.newHttpClient();
        await(replica.name() + " not ready within 180 s; see " + replica.log())
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertTrue(replica.process().isAlive(), replica.name() + " exited; see " + replica.log());
                    try {
                        return client.send(
                                                HttpRequest.newBuilder(URI.create("http://localhost:" + replica.port()
                                                                + "/q/health/ready"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    private static void awaitLogLine(Replica replica, String text) throws Exception {
        await(replica.name() + " never logged: " + text)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(replica.log()).contains(text));
        // Its cache trusts itself once the first heartbeat came back; give it three beats.
        Thread.sleep(3000);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
