package dev.twofold.audit;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Enforces {@code twofold.events.retention}: deletes old events (and abandoned webhook deliveries)
 * in bounded batches, one short transaction each ({@link SecurityEventPurgeStore}); a replica that
 * cannot get the purge's advisory lock stops, since another one is purging.
 */
@Startup
@ApplicationScoped
class SecurityEventPurge {

    private static final Logger LOG = Logger.getLogger(SecurityEventPurge.class);

    private final EventsConfig config;
    private final SecurityEventPurgeStore store;
    private final Clock clock;

    SecurityEventPurge(EventsConfig config, SecurityEventPurgeStore store, Clock clock) {
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    @Scheduled(every = "${twofold.events.purge-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        Instant cutoff = clock.instant().minus(config.retention());
        return purge(cutoff, config.purgeBatchSize())
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Purged %d security events older than %s", deleted, cutoff);
                    }
                })
                .onFailure()
                .invoke(failure -> LOG.warnf("Security event purge failed: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes what is older than {@code cutoff}; the number of events this call deleted. */
    Uni<Long> purge(Instant cutoff, int batchSize) {
        return purgeBatches(SecurityEventPurgeStore.Purged.EVENTS, cutoff, batchSize, 0)
                .call(() -> purgeBatches(SecurityEventPurgeStore.Purged.ABANDONED_DELIVERIES, cutoff, batchSize, 0));
    }

    private Uni<Long> purgeBatches(
            SecurityEventPurgeStore.Purged what, Instant cutoff, int batchSize, long deletedSoFar) {
        return store.deleteBatch(what, cutoff, batchSize)
                .flatMap(deleted -> deleted.isPresent() && deleted.getAsInt() == batchSize
                        ? purgeBatches(what, cutoff, batchSize, deletedSoFar + batchSize)
                        : Uni.createFrom().item(deletedSoFar + deleted.orElse(0)));
    }
}
