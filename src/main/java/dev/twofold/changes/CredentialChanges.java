package dev.twofold.changes;

import dev.twofold.account.AccountId;
import dev.twofold.platform.VertxContexts;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgNotification;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Carries credential changes between replicas over PostgreSQL LISTEN/NOTIFY on channel
 * {@value #CHANNEL}, and keeps every replica's {@link CredentialCache} honest.
 *
 * <p><b>How.</b> Each replica holds one pooled connection that LISTENs. A change is a NOTIFY issued
 * inside the changing transaction ({@link CredentialChangeNotifier}), so PostgreSQL delivers it to
 * every listening replica, this one included, exactly when the change commits. Every replica evicts
 * what the change touches, then acknowledges it with a NOTIFY of its own. Every heartbeat interval
 * each replica also notifies a heartbeat; notifications on one channel arrive in commit order, so a
 * replica that receives its own heartbeat has applied every change committed before that heartbeat
 * was sent. The cache answers only within three intervals of such a beat, and is emptied whenever
 * the listener connection is lost, or silent for ten intervals (it then reconnects with back-off).
 *
 * <p><b>Guarantee.</b> The response to a request that changed credentials is held until this
 * replica's listener and every replica whose heartbeat was heard within three intervals have
 * acknowledged the eviction (at most {@code twofold.mail-auth.propagation.timeout}, default 1 s).
 * So once that response is sent, no live replica answers the changed credential from memory: the
 * next login anywhere is decided from the database. If this replica's own acknowledgement is
 * missing (its listener stalls), its cache is marked out of sync before the response is sent; if it
 * has no listener at all, the response waits the whole timeout (no acknowledgement can be heard).
 * The one exception is another replica whose listener stalls or dies silently (half-open TCP) at
 * that moment: the wait times out with a warning naming it, and that replica stops trusting its
 * cache at most three heartbeat intervals (default 3 s) after its last beat. Changes written to the database without a NOTIFY (by hand) are seen after the cache TTL;
 * any payload on the channel that is not a Twofold message empties every cache (an operator can
 * {@code NOTIFY twofold_credentials, 'flush'}).
 *
 * <p>Payloads: {@code h|replica} heartbeat; {@code c|origin|seq|p|account} passcodes changed;
 * {@code c|origin|seq|t|account} two-factor state changed; {@code a|origin|seq|replica} acknowledgement.
 */
@ApplicationScoped
class CredentialChanges {

    static final String CHANNEL = "twofold_credentials";

    private static final Logger LOG = Logger.getLogger(CredentialChanges.class);
    private static final String NOTIFY = "select pg_notify($1, $2)";
    private static final long MAX_RECONNECT_DELAY_MILLIS = 30_000;

    private final Pool pool;
    private final Vertx vertx;
    private final CredentialCache cache;
    private final long heartbeatMillis;
    private final long staleAfterNanos;
    private final long deadAfterNanos;
    private final Duration timeout;
    /** Random per process, so restarts and several replicas on one host never share an id. */
    private final String replicaId = UUID.randomUUID().toString().substring(0, 13);
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Long, Propagation> propagations = new ConcurrentHashMap<>();
    /** Replica id → System.nanoTime() its last heartbeat was received. */
    private final Map<String, Long> heartbeats = new ConcurrentHashMap<>();
    private volatile PgConnection listener;
    private volatile long listeningSince;
    private volatile boolean stopped;
    private long reconnectDelayMillis = 250;
    private long timerId = -1;

    CredentialChanges(Pool pool, Vertx vertx, CredentialCache cache, PropagationConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.cache = cache;
        Duration interval = config.heartbeatInterval();
        this.timeout = config.timeout();
        if (interval.toMillis() < 50 || timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalStateException("twofold.mail-auth.propagation: heartbeat-interval must be at least 50 ms"
                    + " and timeout between 1 ms and 30 s");
        }
        this.heartbeatMillis = interval.toMillis();
        this.staleAfterNanos = interval.multipliedBy(3).toNanos();
        this.deadAfterNanos = interval.multipliedBy(10).toNanos();
    }

    void start(@Observes StartupEvent event) {
        connect();
        timerId = vertx.setPeriodic(heartbeatMillis, id -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        PgConnection connection = listener;
        listener = null;
        if (connection != null) {
            release(connection);
        }
    }

    /**
     * Hands a listener connection back to the pool without its LISTEN (bounded: a dead connection
     * is handed back anyway, and the pool discards it).
     */
    private void release(PgConnection connection) {
        connection.query("UNLISTEN *").execute()
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .onTermination().call(connection::close)
                .subscribe().with(rows -> {}, failure -> LOG.debugf("UNLISTEN failed: %s", failure.getMessage()));
    }

    /** Reserves a change number; the payload to NOTIFY in the changing transaction follows from it. */
    long reserve() {
        long seq = sequence.incrementAndGet();
        propagations.put(seq, new Propagation(System.nanoTime()));
        return seq;
    }

    String changePayload(long seq, char kind, AccountId account) {
        return "c|" + replicaId + "|" + seq + "|" + kind + "|" + account.value();
    }

    /**
     * Completes once this replica's listener and every replica heard from recently have applied
     * the given changes, or after the timeout (logged). Never fails. Whatever happens, this
     * replica's own cache no longer answers from before the changes when it completes: when its
     * own acknowledgement did not arrive, the cache is marked out of sync (emptied, and unused until
     * the listener hears its own heartbeat again, which proves the changes were applied).
     */
    Uni<Void> awaitPropagation(List<Long> seqs) {
        Executor caller = VertxContexts.current();
        if (listener == null) {
            // No listener, so no acknowledgement can be heard: give every replica the whole timeout
            // to apply the change it received at commit. This replica's cache is off meanwhile.
            LOG.warnf("Credential change %s committed while this replica's listener is down; waiting %s for"
                    + " the other replicas unconfirmed", seqs, timeout);
            return Uni.createFrom().voidItem()
                    .onItem().delayIt().by(timeout)
                    .invoke(cache::clear)
                    .emitOn(caller)
                    .onTermination().invoke(() -> forget(seqs));
        }
        Set<String> expected = liveReplicas();
        CompletableFuture<?>[] done = seqs.stream()
                .map(propagations::get)
                .filter(propagation -> propagation != null)
                .map(propagation -> propagation.expect(expected))
                .toArray(CompletableFuture[]::new);
        return Uni.createFrom().completionStage(CompletableFuture.allOf(done))
                .invoke(() -> LOG.debugf("Credential changes %s applied by this replica and %s", seqs, expected))
                .ifNoItem().after(timeout).recoverWithItem(() -> {
                    unconfirmed(seqs);
                    return null;
                })
                .emitOn(caller)
                .onTermination().invoke(() -> forget(seqs))
                .replaceWithVoid();
    }

    /**
     * The wait timed out. Without this replica's own acknowledgement its listener is behind (a stalled
     * connection), so its cache may still hold the changed state: it goes out of sync before the
     * response is sent. Other replicas whose acknowledgement is missing stop trusting their caches by
     * themselves within three heartbeat intervals of the last beat they heard.
     */
    private void unconfirmed(List<Long> seqs) {
        Set<String> missing = seqs.stream().map(propagations::get).filter(propagation -> propagation != null)
                .flatMap(propagation -> propagation.missing().stream()).collect(Collectors.toSet());
        if (missing.contains(replicaId)) {
            cache.markOutOfSync();
        }
        LOG.warnf("Credential changes %s not confirmed within %s by replicas %s%s", seqs, timeout, missing,
                missing.contains(replicaId) ? " (this one included: its login cache is off until its listener catches up)" : "");
    }

    /** Drops changes nobody will wait for (the transaction failed). */
    void forget(List<Long> seqs) {
        seqs.forEach(propagations::remove);
    }

    private Set<String> liveReplicas() {
        long now = System.nanoTime();
        return heartbeats.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(replicaId) && now - entry.getValue() < staleAfterNanos)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private void connect() {
        if (stopped) {
            return;
        }
        pool.getConnection().subscribe().with(sql -> {
            PgConnection connection = PgConnection.cast(sql);
            connection.notificationHandler(this::onNotification);
            connection.closeHandler(() -> onClosed(connection));
            connection.query("LISTEN " + CHANNEL).execute().subscribe().with(
                    rows -> {
                        if (stopped) {
                            release(connection);
                            return;
                        }
                        cache.clear();
                        listener = connection;
                        listeningSince = System.nanoTime();
                        reconnectDelayMillis = 250;
                        LOG.infof("Listening for credential changes as replica %s", replicaId);
                        heartbeat();
                    },
                    failure -> {
                        LOG.warn("LISTEN for credential changes failed", failure);
                        release(connection);
                        scheduleReconnect();
                    });
        }, failure -> {
            LOG.warnf("No connection for the credential change listener (%s); retrying", failure.getMessage());
            scheduleReconnect();
        });
    }

    /** The listener's connection closed under it (database restart, network, backend terminated). */
    private void onClosed(PgConnection connection) {
        if (listener != connection) {
            return;
        }
        abandon(connection, "Credential change listener connection lost");
    }

    /** Stops trusting the listener: the cache is off until a new listener has heard its own heartbeat. */
    private void abandon(PgConnection connection, String why) {
        listener = null;
        cache.markOutOfSync();
        release(connection);
        if (!stopped) {
            LOG.warnf("%s; the login cache is off until the listener is back", why);
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long delay = reconnectDelayMillis;
        reconnectDelayMillis = Math.min(MAX_RECONNECT_DELAY_MILLIS, reconnectDelayMillis * 2);
        vertx.setTimer(delay, id -> connect());
    }

    private void tick() {
        PgConnection connection = listener;
        if (connection == null) {
            return;
        }
        long now = System.nanoTime();
        Long ownBeat = heartbeats.get(replicaId);
        long lastSign = Math.max(listeningSince, ownBeat == null ? 0 : ownBeat);
        // A late beat still proves every earlier change was applied (one connection, commit order), so
        // a few missed beats only pause the cache (MailLoginCache#usable); a long silence means the
        // connection is dead without having said so, and only a new one can be trusted again.
        if (now - lastSign > deadAfterNanos) {
            abandon(connection, "Credential change listener silent for " + Duration.ofNanos(now - lastSign).toSeconds() + " s");
            return;
        }
        heartbeat();
        long expired = deadAfterNanos;
        propagations.values().removeIf(propagation -> now - propagation.createdNanos > expired);
        heartbeats.values().removeIf(heard -> now - heard > expired);
    }

    private void heartbeat() {
        send("h|" + replicaId);
    }

    private void send(String payload) {
        pool.preparedQuery(NOTIFY).execute(Tuple.of(CHANNEL, payload)).subscribe().with(
                rows -> {},
                failure -> LOG.debugf("NOTIFY %s failed: %s", payload.substring(0, 1), failure.getMessage()));
    }

    private void onNotification(PgNotification notification) {
        if (!CHANNEL.equals(notification.getChannel())) {
            return;
        }
        String[] parts = notification.getPayload().split("\\|", 5);
        switch (parts[0]) {
            case "h" -> {
                if (parts.length == 2) {
                    long now = System.nanoTime();
                    heartbeats.put(parts[1], now);
                    if (parts[1].equals(replicaId)) {
                        cache.markInSync(now);
                    }
                    return;
                }
            }
            case "c" -> {
                if (parts.length == 5 && applyChange(parts[3], parts[4])) {
                    acknowledge(parts[1], parts[2], replicaId);
                    return;
                }
            }
            case "a" -> {
                if (parts.length == 4) {
                    if (parts[1].equals(replicaId)) {
                        acknowledged(parts[2], parts[3]);
                    }
                    return;
                }
            }
            default -> {
                // Fall through to the conservative answer below.
            }
        }
        LOG.infof("Unrecognised notification on %s; emptying the login cache", CHANNEL);
        cache.clear();
    }

    private boolean applyChange(String kind, String account) {
        AccountId accountId;
        try {
            accountId = new AccountId(account);
        } catch (RuntimeException e) {
            return false;
        }
        switch (kind) {
            case "p" -> cache.evictPasscodes(accountId);
            case "t" -> cache.evictTwoFactor(accountId);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void acknowledge(String origin, String seq, String acker) {
        if (origin.equals(replicaId)) {
            acknowledged(seq, acker);
        } else {
            send("a|" + origin + "|" + seq + "|" + acker);
        }
    }

    private void acknowledged(String seq, String acker) {
        try {
            Propagation propagation = propagations.get(Long.parseLong(seq));
            if (propagation != null) {
                propagation.acknowledgedBy(acker);
            }
        } catch (NumberFormatException e) {
            LOG.debug("Acknowledgement with a malformed sequence number ignored");
        }
    }

    /** One change on its way to every replica. */
    private final class Propagation {

        final long createdNanos;
        private final Set<String> acknowledged = new HashSet<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private Set<String> expected;

        Propagation(long createdNanos) {
            this.createdNanos = createdNanos;
        }

        synchronized CompletableFuture<Void> expect(Set<String> replicas) {
            expected = new HashSet<>(replicas);
            expected.add(replicaId);
            check();
            return done;
        }

        synchronized void acknowledgedBy(String replica) {
            acknowledged.add(replica);
            check();
        }

        synchronized Set<String> missing() {
            Set<String> missing = expected == null ? new HashSet<>() : new HashSet<>(expected);
            missing.removeAll(acknowledged);
            return missing;
        }

        private void check() {
            if (expected != null && acknowledged.containsAll(expected)) {
                done.complete(null);
            }
        }
    }
}
