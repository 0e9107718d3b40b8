package dev.twofold.changes;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * This replica's one connection that LISTENs on the change channel: a Vert.x
 * {@link PgSubscriber} on the pool's own connect options (same host, TLS and stall timeout, so a
 * frozen connection is closed after {@code twofold.database.stall-timeout} like any pooled one),
 * reconnecting with back-off from 250 ms to 30 s.
 *
 * <p>Its user is told when a (new) connection LISTENs and when one is lost: while there is none,
 * changes go unheard, and the cache must not be trusted. The subscriber
 * reconnects by itself only after a connection it had is lost; its first connection is retried here
 * with the same back-off, each time by a fresh subscriber (a subscriber whose first connect failed
 * may still be reconnecting by itself: whatever it delivers afterwards is dropped, and a
 * connection it opens is closed).
 *
 * <p>Every connection, first or reconnected, must LISTEN within the options' connect timeout
 * ({@code twofold.database.connect-timeout}). Vert.x bounds only the TCP connect: a connection
 * whose server accepts but never answers its startup never completes (the stall bound's close
 * waits for the server to end it), and the subscriber would wait for it forever, reconnecting no
 * more. A subscriber that misses the bound is given up like one whose first connect failed.
 */
final class ChangeListener {

    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final long FIRST_DELAY_MILLIS = 250;
    private static final long MAX_DELAY_MILLIS = 30_000;

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final String channel;
    private final Consumer<String> payloads;
    private final Runnable listening;
    private final Runnable lost;
    private final long setupBoundMillis;
    /** Numbers connection attempts, so that the bound of an attempt that is over does nothing. */
    private final AtomicLong attempts = new AtomicLong();

    private volatile PgSubscriber subscriber;
    /** The connection that LISTENs now; null while there is none. */
    private volatile PgConnection connection;

    private volatile long listeningSince;
    private volatile boolean stopped;
    private int failedStarts;

    /**
     * @param payloads every payload received on the channel, in commit order
     * @param listening called each time a connection has started to LISTEN
     * @param lost called each time the LISTENing connection is lost, before reconnecting
     */
    ChangeListener(
            Vertx vertx,
            PgConnectOptions options,
            String channel,
            Consumer<String> payloads,
            Runnable listening,
            Runnable lost) {
        this.vertx = vertx;
        this.options = options;
        this.channel = channel;
        this.payloads = payloads;
        this.listening = listening;
        this.lost = lost;
        this.setupBoundMillis = options.getConnectTimeout();
    }

    void start() {
        if (stopped) {
            return;
        }
        PgSubscriber opened = PgSubscriber.subscriber(vertx, options);
        subscriber = opened;
        opened.reconnectPolicy(attempt -> reconnectDelay(opened, attempt));
        opened.closeHandler(ignored -> {
            // The subscriber gave up for good, which this policy never does while it is current: start afresh.
            if (!stopped && subscriber == opened) {
                start();
            }
        });
        opened.channel(channel).subscribeHandler(ignored -> onListening(opened)).handler(payload -> {
            if (subscriber == opened) {
                payloads.accept(payload);
            }
        });
        opened.connect()
                .onSuccess(ignored -> failedStarts = 0)
                .onFailure(failure -> startFailed(opened, failure.getMessage()));
        boundSetup(opened, 0);
    }

    private void startFailed(PgSubscriber opened, String why) {
        if (subscriber != opened || stopped) {
            return;
        }
        long delay = backoff(failedStarts++);
        LOG.warnf("No connection for the credential change listener (%s); retrying in %d ms", why, delay);
        subscriber = null;
        opened.close();
        vertx.setTimer(delay, id -> start());
    }

    /** Gives {@code opened} up unless the attempt starting in {@code startsInMillis} LISTENs within the bound. */
    private void boundSetup(PgSubscriber opened, long startsInMillis) {
        long attempt = attempts.incrementAndGet();
        vertx.setTimer(startsInMillis + setupBoundMillis, id -> {
            if (attempts.get() == attempt && subscriber == opened && connection == null) {
                startFailed(opened, "no LISTEN within " + setupBoundMillis + " ms of connecting");
            }
        });
    }

    void stop() {
        stopped = true;
        connection = null;
        PgSubscriber current = subscriber;
        if (current != null) {
            // The LISTEN ends with the session; nothing to hand back, as the connection is not pooled.
            current.close();
        }
    }

    /** Whether a connection LISTENs now (changes committed from now on will be heard). */
    boolean listening() {
        return connection != null;
    }

    /** System.nanoTime() the current connection started to LISTEN. */
    long listeningSince() {
        return listeningSince;
    }

    /**
     * Stops trusting the current connection (silent too long): it counts as lost at once, and is
     * closed, so that the subscriber replaces it.
     */
    void abandon() {
        PgConnection current = connection;
        if (current != null) {
            connection = null;
            lost.run();
            current.close();
        }
    }

    private void onListening(PgSubscriber opened) {
        PgConnection current = opened.actualConnection();
        if (subscriber != opened || stopped) {
            if (current != null) {
                current.close();
            }
            return;
        }
        if (current == null) {
            return; // lost again meanwhile; the subscriber is already reconnecting
        }
        listeningSince = System.nanoTime();
        connection = current;
        listening.run();
    }

    /**
     * Called by the subscriber once when its connection is lost ({@code attempt} 0), and again after
     * each failed reconnection: the first call is where this replica learns of the loss.
     */
    private long reconnectDelay(PgSubscriber opened, int attempt) {
        if (subscriber != opened || stopped) {
            return -1;
        }
        if (attempt == 0) {
            // Even a connection that never got to onListening may have delivered a heartbeat.
            connection = null;
            lost.run();
        }
        long delay = backoff(attempt);
        boundSetup(opened, delay);
        return delay;
    }

    private static long backoff(int attempt) {
        return Math.min(MAX_DELAY_MILLIS, FIRST_DELAY_MILLIS << Math.min(attempt, 10));
    }
}
