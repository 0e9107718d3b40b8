package dev.twofold.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.account.AccountId;
import dev.twofold.changes.OwnHeartbeat;
import dev.twofold.changes.PropagationConfig;
import dev.twofold.passcode.PasscodeScope;
import dev.twofold.passcode.StoredPasscode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The cache's own rules, without an application: when it may answer and which fills it drops. */
class MailLoginCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final AccountId ALICE = new AccountId("alice@example.com");
    private static final AccountId BOB = new AccountId("bob@example.com");
    /** Beats every second: the cache goes unused three seconds after the last one. */
    // A record, not an anonymous class: ArC refuses anonymous classes of a constrained config mapping.
    private record Propagation(Duration heartbeatInterval, Duration timeout) implements PropagationConfig {}

    private static final PropagationConfig PROPAGATION = new Propagation(Duration.ofSeconds(1), Duration.ofSeconds(1));

    private final OwnHeartbeat heartbeat = new OwnHeartbeat(PROPAGATION);
    private final MailLoginCache cache =
            new MailLoginCache(config(Duration.ofMinutes(5), 3, 3), heartbeat, new SimpleMeterRegistry());

    @Test
    void outOfSyncCacheNeitherAnswersNorFills() {
        LookupKey key = key(1);
        cache.putPasscode(key, passcode(ALICE), cache.epoch());
        assertTrue(cache.passcode(key, NOW).isEmpty());
        heartbeat.received(System.nanoTime());
        cache.putPasscode(key, passcode(ALICE), cache.epoch());
        assertTrue(cache.passcode(key, NOW).isPresent());
        outOfSync();
        assertTrue(cache.passcode(key, NOW).isEmpty());
        heartbeat.received(System.nanoTime());
        assertTrue(cache.passcode(key, NOW).isEmpty(), "losing sync empties the cache");
    }

    @Test
    void verificationsOutliveTheLossOfSyncButOnlyForTheSameRowAndHash() {
        StoredPasscode stored = stored(ALICE);
        cache.rememberVerification(key(1), new VerifiedPasscode(stored.id(), stored.passcodeHash()));
        outOfSync();
        VerifiedPasscode remembered = cache.verification(key(1)).orElseThrow();
        assertTrue(remembered.stillMatches(stored));
        assertFalse(remembered.stillMatches(new StoredPasscode(
                stored.id(),
                ALICE,
                "Phone",
                "$argon2id$other",
                Optional.empty(),
                PasscodeScope.UNRESTRICTED,
                NOW,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty())));
        assertFalse(remembered.stillMatches(stored(ALICE)));
    }

    @Test
    void useIsWrittenOncePerResolutionAndAtOnceFromANewIp() {
        VerifiedPasscode verified = new VerifiedPasscode(UUID.randomUUID(), "$argon2id$x");
        Duration minute = Duration.ofMinutes(1);
        assertTrue(verified.claimUseWrite(NOW, minute, Optional.of("198.51.100.1")));
        assertFalse(verified.claimUseWrite(NOW.plusSeconds(59), minute, Optional.of("198.51.100.1")));
        assertTrue(verified.claimUseWrite(NOW.plusSeconds(59), minute, Optional.of("198.51.100.2")));
        assertFalse(verified.claimUseWrite(NOW.plusSeconds(60), minute, Optional.empty()));
        assertTrue(verified.claimUseWrite(NOW.plusSeconds(119), minute, Optional.empty()));
    }

    @Test
    void cacheStopsAnsweringWhenHeartbeatsStop() {
        heartbeat.received(System.nanoTime() - Duration.ofSeconds(4).toNanos());
        assertFalse(cache.usable());
    }

    @Test
    void fillThatRacedWithAnEvictionIsDropped() {
        heartbeat.received(System.nanoTime());
        long readEpoch = cache.epoch();
        cache.evictPasscodes(BOB);
        cache.putPasscode(key(1), passcode(ALICE), readEpoch);
        assertTrue(cache.passcode(key(1), NOW).isEmpty());
        cache.putTwoFactor(ALICE, false, NOW, readEpoch);
        assertTrue(cache.twoFactorEnabled(ALICE, NOW).isEmpty());
    }

    @Test
    void evictionTouchesOnlyThatAccount() {
        heartbeat.received(System.nanoTime());
        cache.putPasscode(key(1), passcode(ALICE), cache.epoch());
        cache.putPasscode(key(2), passcode(BOB), cache.epoch());
        cache.putTwoFactor(ALICE, true, NOW, cache.epoch());
        cache.evictPasscodes(ALICE);
        assertTrue(cache.passcode(key(1), NOW).isEmpty());
        assertTrue(cache.passcode(key(2), NOW).isPresent());
        assertEquals(Optional.of(true), cache.twoFactorEnabled(ALICE, NOW));
        cache.evictTwoFactor(ALICE);
        assertTrue(cache.twoFactorEnabled(ALICE, NOW).isEmpty());
    }

    @Test
    void erasureDropsTheAccountsPasscodesAndTwoFactorState() {
        heartbeat.received(System.nanoTime());
        cache.putPasscode(key(1), passcode(ALICE), cache.epoch());
        cache.putTwoFactor(ALICE, true, NOW, cache.epoch());
        cache.putTwoFactor(BOB, true, NOW, cache.epoch());
        cache.evictAccount(ALICE);
        assertTrue(cache.passcode(key(1), NOW).isEmpty());
        assertTrue(cache.twoFactorEnabled(ALICE, NOW).isEmpty());
        assertEquals(Optional.of(true), cache.twoFactorEnabled(BOB, NOW));
    }

    @Test
    void entriesLiveForTheTtl() {
        heartbeat.received(System.nanoTime());
        cache.putPasscode(key(1), passcode(ALICE), cache.epoch());
        assertTrue(cache.passcode(key(1), NOW.plus(Duration.ofMinutes(5)).minusMillis(1))
                .isPresent());
        assertTrue(cache.passcode(key(1), NOW.plus(Duration.ofMinutes(5))).isEmpty());
    }

    @Test
    void fullCacheStaysWithinItsBudgetAndKeepsMostEntries() {
        MailLoginCache small =
                new MailLoginCache(config(Duration.ofMinutes(5), 100, 100), heartbeat, new SimpleMeterRegistry());
        heartbeat.received(System.nanoTime());
        for (int i = 0; i <= 100; i++) {
            small.putPasscode(key(i), passcode(ALICE), small.epoch());
            StoredPasscode stored = stored(ALICE);
            small.rememberVerification(key(i), new VerifiedPasscode(stored.id(), stored.passcodeHash()));
        }
        assertEquals(100, small.size());
        assertEquals(
                100,
                IntStream.rangeClosed(0, 100)
                        .filter(i -> small.verification(key(i)).isPresent())
                        .count(),
                "one entry too many evicts one, not all");
    }

    @Test
    void floodOfUnknownAccountsNeverEvictsVerifiedPasscodes() {
        MailLoginCache bounded =
                new MailLoginCache(config(Duration.ofMinutes(5), 50, 50), heartbeat, new SimpleMeterRegistry());
        heartbeat.received(System.nanoTime());
        StoredPasscode stored = stored(ALICE);
        bounded.rememberVerification(key(1), new VerifiedPasscode(stored.id(), stored.passcodeHash()));
        bounded.putPasscode(key(1), passcode(ALICE), bounded.epoch());
        for (int i = 0; i < 10_000; i++) {
            bounded.putTwoFactor(new AccountId("made-up-" + i + "@example.com"), false, NOW, bounded.epoch());
        }
        assertTrue(bounded.passcode(key(1), NOW).isPresent(), "a real user's passcode stays cached");
        assertTrue(bounded.verification(key(1)).isPresent(), "and its verification stays remembered");
        bounded.putPasscode(key(2), passcode(BOB), bounded.epoch());
        assertTrue(bounded.passcode(key(2), NOW).isPresent(), "a new passcode still gets in");
        assertEquals(52, bounded.size(), "two passcodes, and two-factor states within their own budget");
    }

    @Test
    void zeroTtlTurnsTheCacheOff() {
        MailLoginCache off = new MailLoginCache(config(Duration.ZERO, 10, 10), heartbeat, new SimpleMeterRegistry());
        heartbeat.received(System.nanoTime());
        off.putPasscode(key(1), passcode(ALICE), off.epoch());
        assertTrue(off.passcode(key(1), NOW).isEmpty());
    }

    /** What the change listener does when changes may have gone unheard. */
    private void outOfSync() {
        heartbeat.lost();
        cache.clear();
    }

    private static LookupKey key(int value) {
        byte[] hash = new byte[32];
        hash[0] = (byte) value;
        hash[1] = (byte) (value >> 8);
        return new LookupKey(hash);
    }

    private static CachedPasscode passcode(AccountId account) {
        StoredPasscode stored = stored(account);
        return new CachedPasscode(stored, new VerifiedPasscode(stored.id(), stored.passcodeHash()), NOW);
    }

    private static StoredPasscode stored(AccountId account) {
        return new StoredPasscode(
                UUID.randomUUID(),
                account,
                "Phone",
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                Optional.empty(),
                PasscodeScope.UNRESTRICTED,
                NOW,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    static MailAuthConfig config(Duration ttl, int maxEntries, int maxAccounts) {
        return new MailAuthConfig() {
            @Override
            public Duration cacheTtl() {
                return ttl;
            }

            @Override
            public Duration webmailEventInterval() {
                return Duration.ofHours(1);
            }

            @Override
            public int cacheMaxEntries() {
                return maxEntries;
            }

            @Override
            public int cacheMaxAccounts() {
                return maxAccounts;
            }

            @Override
            public Optional<List<String>> webmailNetworks() {
                return Optional.empty();
            }

            @Override
            public Throttle throttle() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Introspection introspection() {
                return Map::of;
            }
        };
    }
}
