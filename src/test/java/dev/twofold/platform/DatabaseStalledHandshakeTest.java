package dev.twofold.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.ProxiedPostgresTestDatabase;
import dev.twofold.testing.TcpProxy;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * New database connections stall in their handshake (accepted, never answered, never closed: a
 * frozen path, a proxy that does not forward, a PostgreSQL hung in authentication), more of them
 * than the pool has slots. Once handshakes are answered again the service serves again within
 * seconds, without a restart, and so does the change listener.
 */
@QuarkusTest
@TestProfile(StalledHandshakeProfile.class)
class DatabaseStalledHandshakeTest {

    private static final String LISTENER = "twofold-change-listener";
    private static final Duration SERVES_AGAIN_WITHIN = Duration.ofSeconds(5);

    private final TcpProxy proxy = ProxiedPostgresTestDatabase.proxy();

    @AfterEach
    void answerHandshakesAgain() {
        proxy.forwardNew();
    }

    @Test
    void thePoolServesAgainAfterMoreStalledHandshakesThanItHasSlots() {
        assertEquals(201, createPasscode());
        proxy.stallNew();
        // The pool's connections go (the listener's, if it has one, stays): the next requests need new ones.
        Optional<TcpProxy.Link> listener = proxy.linkThatSent("LISTEN");
        proxy.links().stream()
                .filter(link -> listener.map(kept -> kept != link).orElse(true))
                .forEach(TcpProxy.Link::close);

        List<Integer> whileStalled = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                whileStalled.add(createPasscode());
                return stalledPoolHandshakes() > StalledHandshakeProfile.POOL_SIZE;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "the pool stopped opening connections after " + stalledPoolHandshakes() + " stalled handshakes", e);
        }
        assertTrue(
                whileStalled.stream().allMatch(status -> status == 503),
                "while handshakes stall every answer is 503: " + whileStalled);

        proxy.forwardNew();
        await().atMost(SERVES_AGAIN_WITHIN).until(() -> createPasscode() == 201);
    }

    @Test
    void theChangeListenerListensAgainAfterItsReconnectStalled() {
        awaitListening();
        proxy.stallNew();
        proxy.linkThatSent("LISTEN").orElseThrow().close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> proxy.stalled().stream().anyMatch(stalled -> stalled.sent(LISTENER)));

        proxy.forwardNew();
        await().atMost(SERVES_AGAIN_WITHIN).until(() -> listeningBackends() == 1);
    }

    /** Creates an app passcode (a database write, never answered from a cache): the status. */
    private static int createPasscode() {
        String account = Accounts.fresh();
        return Api.as(Tokens.owner(account))
                .body(Map.of("name", "Thunderbird"))
                .post("/v1/accounts/{id}/app-passcodes", account)
                .statusCode();
    }

    private long stalledPoolHandshakes() {
        return proxy.stalled().stream()
                .filter(stalled -> !stalled.sent(LISTENER))
                .count();
    }

    private static void awaitListening() {
        await().atMost(Duration.ofSeconds(10)).until(() -> listeningBackends() == 1);
    }

    private static long listeningBackends() {
        return Jdbc.count(
                "select count(*) from pg_stat_activity where datname = current_database() and application_name = ?"
                        + " and query like 'LISTEN%'",
                LISTENER);
    }
}
