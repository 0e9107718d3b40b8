package dev.twofold.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.account.AccountId;
import dev.twofold.changes.OwnHeartbeat;
import dev.twofold.changes.PropagationConfig;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The receiving side of policy changes, without an application: when held policies answer, and which loads are kept. */
class DomainPoliciesTest {

    private static final String DOMAIN = "example.com";
    private static final Policy NEVER = new Policy(
            DOMAIN,
            Optional.empty(),
            Duration.ZERO,
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Instant.parse("2026-11-23T10:00:00Z"));
    private static final Policy REQUIRED = new Policy(
            DOMAIN,
            Optional.of(Instant.parse("2026-11-23T10:00:00Z")),
            Duration.ofDays(7),
            true,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Instant.parse("2026-11-23T10:00:00Z"));
    private static final AccountId ALICE = new AccountId("alice@" + DOMAIN);

    // Records, not anonymous classes: ArC refuses anonymous classes of a config mapping.
    private record Propagation(Duration heartbeatInterval, Duration timeout) implements PropagationConfig {}

    private record Config(Duration cacheTtl, int firstSeenCacheMaxEntries) implements PolicyConfig {}

    /** Answers each load with the next queued result, counting the loads. */
    private static final class ScriptedStore extends DomainPolicyStore {

        final Deque<CompletableFuture<List<Policy>>> results = new ArrayDeque<>();
        List<Policy> otherwise = List.of(NEVER);
        int loads;
        int firstSeenReads;

        ScriptedStore() {
            super(null, null);
        }

        CompletableFuture<List<Policy>> next() {
            CompletableFuture<List<Policy>> result = new CompletableFuture<>();
            results.add(result);
            return result;
        }

        @Override
        Uni<List<Policy>> findAll() {
            loads++;
            CompletableFuture<List<Policy>> result =
                    results.isEmpty() ? CompletableFuture.completedFuture(otherwise) : results.poll();
            return Uni.createFrom().completionStage(result);
        }

        @Override
        Uni<Instant> firstSeen(AccountId account, Instant now) {
            firstSeenReads++;
            return Uni.createFrom().item(now);
        }
    }

    private final ScriptedStore store = new ScriptedStore();
    private final OwnHeartbeat heartbeat =
            new OwnHeartbeat(new Propagation(Duration.ofSeconds(1), Duration.ofSeconds(1)));
    private final DomainPolicies policies = new DomainPolicies(store, new Config(Duration.ofMinutes(5), 10), heartbeat);

    @Test
    void inSyncPoliciesAnswerFromMemoryUntilADomainChanges() {
        heartbeat.received(System.nanoTime());
        assertTrue(lookup().isPresent());
        lookup();
        assertEquals(1, store.loads);
        policies.evictDomainPolicy(DOMAIN);
        lookup();
        assertEquals(2, store.loads);
    }

    @Test
    void policiesOutOfSyncAreReadFromTheDatabaseEachTime() {
        lookup();
        lookup();
        assertEquals(2, store.loads, "never in sync: every lookup loads");
        heartbeat.received(System.nanoTime());
        lookup();
        lookup();
        assertEquals(3, store.loads);
        heartbeat.lost();
        policies.clear();
        lookup();
        assertEquals(4, store.loads, "out of sync again: what was held is not used");
    }

    @Test
    void policiesHeardLongerThanThreeBeatsAgoAreNotUsed() {
        heartbeat.received(System.nanoTime() - Duration.ofSeconds(4).toNanos());
        lookup();
        lookup();
        assertEquals(2, store.loads);
    }

    @Test
    void aLoadOverlappingAChangeIsNotKept() {
        heartbeat.received(System.nanoTime());
        CompletableFuture<List<Policy>> beforeTheChange = store.next();
        CompletableFuture<Optional<Policy>> lookup = policies.ofDomain(DOMAIN).subscribeAsCompletionStage();
        policies.evictDomainPolicy(DOMAIN);
        beforeTheChange.complete(List.of());
        assertTrue(lookup.join().isEmpty(), "the caller still gets what was read");
        assertTrue(lookup().isPresent(), "but the next lookup reads again");
        assertEquals(2, store.loads);
    }

    @Test
    void theFirstAppearanceIsRememberedThroughTwoFactorChangesAndForgottenOnErasure() {
        store.otherwise = List.of(REQUIRED);
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        policies.forAccount(ALICE, now).await().indefinitely();
        policies.evictTwoFactor(ALICE);
        policies.forAccount(ALICE, now).await().indefinitely();
        assertEquals(1, store.firstSeenReads, "enabling or disabling two-factor leaves the first appearance");
        policies.evictAccount(ALICE);
        policies.forAccount(ALICE, now).await().indefinitely();
        assertEquals(2, store.firstSeenReads, "an erased account's first appearance is read again");
    }

    private Optional<Policy> lookup() {
        return policies.ofDomain(DOMAIN).await().indefinitely();
    }
}
