package dev.twofold.changes;

import dev.twofold.platform.DatabaseConnectOptions;
import dev.twofold.platform.VertxContexts;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Carries credential changes between replicas over PostgreSQL LISTEN/NOTIFY on channel
 * {@value #CHANNEL}, and keeps every replica's {@link CredentialCache}s (the login cache, the
 * domain policies) honest.
 *
 * <p><b>How.</b> Each replica holds one connection that LISTENs ({@link ChangeListener}). A change
 * is a NOTIFY issued inside the changing transaction ({@link CredentialChangeNotifier}), so PostgreSQL
 * delivers it to every listening replica, this one included, exactly when the change commits. Every
 * replica evicts what the change touches, then acknowledges it with a NOTIFY of its own. Every
 * heartbeat interval each replica also notifies a heartbeat; notifications on one channel arrive in
 * commit order, so a replica that receives its own heartbeat has applied every change committed
 * before that heartbeat was sent. The cache answers only within three intervals of such a beat, and
 * is emptied whenever the listener connection is lost, or silent for ten intervals (it is then
 * replaced).
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
 * cache at most three heartbeat intervals (default 3 s) after its last beat. Changes written to the
 * database without a NOTIFY (by hand) are seen after the cache TTL; any payload on the channel that
 * is not a Twofold message empties every cache (an operator can
 * {@code NOTIFY twofold_credentials, 'flush'}).
 *
 * <p>Payloads: {@code h|replica} heartbeat; {@code c|origin|seq|p|account} passcodes changed;
 * {@code c|origin|seq|t|account} two-factor state changed; {@code c|origin|seq|e|account} account
 * erased; {@code c|origin|seq|d|domain} domain policy set or cleared; {@code a|origin|seq|replica}
 * acknowledgement.
 */
@ApplicationScoped
class CredentialChanges {

    static final String CHANNEL = "twofold_credentials";

    private static final Logger LOG = Logger.getLogger(CredentialChanges.class);
    private static final String LISTENER_NAME = "twofold-change-listener";

    private final ChangeChannelStore channel;
    private final Vertx vertx;
    private final CredentialCaches caches;
    private final OwnHeartbeat ownHeartbeat;
    private final long heartbeatMillis;
    private final long deadAfterNanos;
    private final Duration timeout;
    /** Random per process, so restarts and several replicas on one host never share an id. */
    private final String replicaId = UUID.randomUUID().toString().substring(0, 13);

    private final Acknowledgements acknowledgements = new Acknowledgements(replicaId);
    private final Heartbeats heartbeats;
    private final ChangeListener listener;
    private long timerId = -1;

    CredentialChanges(
            ChangeChannelStore channel,
            Vertx vertx,
            @All List<CredentialCache> caches,
            OwnHeartbeat ownHeartbeat,
            PropagationConfig config,
            DatabaseConnectOptions database) {
        this.channel = channel;
        this.vertx = vertx;
        this.caches = new CredentialCaches(caches);
        this.ownHeartbeat = ownHeartbeat;
        Duration interval = config.heartbeatInterval();
        this.timeout = config.timeout();
        this.heartbeatMillis = interval.toMillis();
        this.heartbeats = new Heartbeats(replicaId, interval.multipliedBy(3).toNanos());
        this.deadAfterNanos = interval.multipliedBy(10).toNanos();
        // Named, so that operators (and fault tests) tell it apart from the pool's connections.
        PgConnectOptions options = database.copy().addProperty("application_name", LISTENER_NAME);
        this.listener = new ChangeListener(
                vertx.getDelegate(), options, CHANNEL, this::onNotification, this::onListening, this::onListenerLost);
    }

    void start(@Observes StartupEvent event) {
        listener.start();
        timerId = vertx.setPeriodic(heartbeatMillis, id -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        listener.stop();
    }

    /** Reserves a change number; the payload to NOTIFY in the changing transaction follows from it. */
    long reserve() {
        return acknowledgements.reserve();
    }

    /** @param subject the account (passcodes, two-factor state) or the domain (policy) that changed */
    String changePayload(long seq, char kind, String subject) {
        return "c|" + replicaId + "|" + seq + "|" + kind + "|" + subject;
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
        if (!listener.listening()) {
            // No listener, so no acknowledgement can be heard: give every replica the whole timeout
            // to apply the change it received at commit. This replica's cache is off meanwhile.
            LOG.warnf(
                    "Credential change %s committed while this replica's listener is down; waiting %s for"
                            + " the other replicas unconfirmed",
                    seqs, timeout);
            return Uni.createFrom()
                    .voidItem()
                    .onItem()
                    .delayIt()
                    .by(timeout)
                    .invoke(caches::clear)
                    .emitOn(caller)
                    .onTermination()
                    .invoke(() -> forget(seqs));
        }
        Set<String> expected = heartbeats.liveOthers(System.nanoTime());
        return Uni.createFrom()
                .completionStage(acknowledgements.expect(seqs, expected))
                .invoke(() -> LOG.debugf("Credential changes %s applied by this replica and %s", seqs, expected))
                .ifNoItem()
                .after(timeout)
                .recoverWithItem(() -> {
                    unconfirmed(seqs);
                    return null;
                })
                .emitOn(caller)
                .onTermination()
                .invoke(() -> forget(seqs))
                .replaceWithVoid();
    }

    /**
     * The wait timed out. Without this replica's own acknowledgement its listener is behind (a stalled
     * connection), so its cache may still hold the changed state: it goes out of sync before the
     * response is sent. Other replicas whose acknowledgement is missing stop trusting their caches by
     * themselves within three heartbeat intervals of the last beat they heard.
     */
    private void unconfirmed(List<Long> seqs) {
        Set<String> missing = acknowledgements.missing(seqs);
        if (missing.contains(replicaId)) {
            outOfSync();
        }
        LOG.warnf(
                "Credential changes %s not confirmed within %s by replicas %s%s",
                seqs,
                timeout,
                missing,
                missing.contains(replicaId)
                        ? " (this one included: its login cache and domain policies are off until its listener catches up)"
                        : "");
    }

    /** Drops changes nobody will wait for (the transaction failed). */
    void forget(List<Long> seqs) {
        acknowledgements.forget(seqs);
    }

    /** A new listener connection: what the cache holds may predate it, and its first beat proves it works. */
    private void onListening() {
        caches.clear();
        LOG.infof("Listening for credential changes as replica %s", replicaId);
        heartbeat();
    }

    /** The listener's connection closed under it (database restart, network, backend terminated, stall). */
    private void onListenerLost() {
        outOfSync();
        LOG.warn(
                "Credential change listener connection lost; the login cache and domain policies are off until the listener is back");
    }

    /** Changes may have gone unheard: the caches are emptied, and unused until this replica's next own beat. */
    private void outOfSync() {
        ownHeartbeat.lost();
        caches.clear();
    }

    private void tick() {
        if (!listener.listening()) {
            return;
        }
        long now = System.nanoTime();
        long lastSign = Math.max(listener.listeningSince(), heartbeats.own().orElse(Long.MIN_VALUE));
        // A late beat still proves every earlier change was applied (one connection, commit order), so
        // a few missed beats only pause the cache (OwnHeartbeat); a long silence means the
        // connection is dead without having said so, and only a new one can be trusted again.
        if (now - lastSign > deadAfterNanos) {
            LOG.warnf(
                    "Credential change listener silent for %d s; replacing its connection",
                    Duration.ofNanos(now - lastSign).toSeconds());
            listener.abandon();
            return;
        }
        heartbeat();
        acknowledgements.expire(now, deadAfterNanos);
        heartbeats.expire(now, deadAfterNanos);
    }

    private void heartbeat() {
        send("h|" + replicaId);
    }

    private void send(String payload) {
        channel.send(CHANNEL, payload)
                .subscribe()
                .with(
                        sent -> {},
                        failure -> LOG.debugf("NOTIFY %s failed: %s", payload.substring(0, 1), failure.getMessage()));
    }

    private void onNotification(String payload) {
        String[] parts = payload.split("\\|", 5);
        switch (parts[0]) {
            case "h" -> {
                if (parts.length == 2) {
                    long now = System.nanoTime();
                    if (heartbeats.heard(parts[1], now)) {
                        ownHeartbeat.received(now);
                    }
                    return;
                }
            }
            case "c" -> {
                if (parts.length == 5 && caches.apply(parts[3], parts[4])) {
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
        LOG.infof("Unrecognised notification on %s; emptying the login cache and domain policies", CHANNEL);
        caches.clear();
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
            acknowledgements.acknowledged(Long.parseLong(seq), acker);
        } catch (NumberFormatException e) {
            LOG.debug("Acknowledgement with a malformed sequence number ignored");
        }
    }
}
