package dev.twofold.mailauth;

import static dev.twofold.testing.Passcodes.decide;
import static dev.twofold.testing.Passcodes.login;
import static dev.twofold.testing.Passcodes.verify;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.DatabaseThroughProxy;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.ProxiedPostgresTestDatabase;
import dev.twofold.testing.TcpProxy;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Revocation while this replica's own change listener is stalled or gone (the database connection
 * it LISTENs on is frozen, or lost, behind a TCP proxy), while the rest of the pool works: the
 * revoked passcode is refused from the very first login after the DELETE returned.
 */
@QuarkusTest
@TestProfile(DatabaseThroughProxy.class)
class StalledListenerRevocationTest {

    private static final String CLIENT_IP = "198.51.100.23";
    /** The default twofold.mail-auth.propagation.timeout. */
    private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(1);
    /** The application_name the change listener's connection carries in its startup message. */
    private static final String LISTENER_NAME = "twofold-change-listener";

    private final TcpProxy proxy = ProxiedPostgresTestDatabase.proxy();

    @Inject
    MailLoginCache cache;

    private final String account = Accounts.fresh();

    @BeforeEach
    void cacheInSync() {
        CacheSync.await(cache);
    }

    @AfterEach
    void networkHeals() {
        proxy.thaw();
        proxy.links().forEach(TcpProxy.Link::thaw);
    }

    @Test
    void revokedPasscodeIsRefusedRightAfterTheDeleteWhileThisReplicasListenerIsStalled() {
        Passcodes.Created passcode = cached(Passcodes.create(account, "Phone"));
        proxy.linkThatSent("LISTEN").orElseThrow().freeze();

        revoke(passcode);

        assertRefusedFromNowOn(passcode);
    }

    @Test
    void revocationWithoutAListenerWaitsForTheOtherReplicasAndIsRefusedRightAfter() {
        Passcodes.Created passcode = cached(Passcodes.create(account, "Phone"));
        // Lose the listener's connection while every connection is frozen, so that its replacement
        // hangs on a frozen link too (found by the application name it connects with): the replica
        // has no listener until that link heals or the stall bound replaces it.
        proxy.freeze();
        proxy.linkThatSent("LISTEN").orElseThrow().close();
        TcpProxy.Link replacement = await().atMost(Duration.ofSeconds(10))
                .until(() -> proxy.linkThatSent(LISTENER_NAME), found -> found.isPresent())
                .orElseThrow();
        replacement.freeze();
        proxy.thaw();

        long started = System.nanoTime();
        revoke(passcode);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(
                took.compareTo(PROPAGATION_TIMEOUT) >= 0,
                "without a listener no acknowledgement can be heard: the response waits the timeout, took " + took);
        assertRefusedFromNowOn(passcode);
    }

    /** A passcode whose state this replica answers from memory. */
    private Passcodes.Created cached(Passcodes.Created passcode) {
        decide(account, passcode.passcode(), "imap", CLIENT_IP).body("decision", equalTo("accept"));
        return passcode;
    }

    private void revoke(Passcodes.Created passcode) {
        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/app-passcodes/{pid}", account, passcode.id())
                .then()
                .statusCode(204);
    }

    /** The next login, and a burst after it: none accepted (rejections soon answer 429, refused as well). */
    private void assertRefusedFromNowOn(Passcodes.Created passcode) {
        decide(account, passcode.passcode(), "imap", CLIENT_IP)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("revoked"));
        for (int i = 0; i < 20; i++) {
            var response = verify(login(account, passcode.passcode(), "imap", CLIENT_IP))
                    .extract();
            if (response.statusCode() == 200) {
                assertEquals("reject", response.path("decision"), "login " + (i + 2) + " after the DELETE");
            } else {
                assertEquals(429, response.statusCode());
            }
        }
    }
}
