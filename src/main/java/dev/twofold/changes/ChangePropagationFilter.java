package dev.twofold.changes;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Holds the successful response of a request that changed credentials until every live replica
 * has confirmed the change ({@link CredentialChanges#awaitPropagation}), so that "the DELETE
 * returned" implies "no replica answers the revoked passcode from memory".
 */
class ChangePropagationFilter {

    private final CredentialChanges changes;

    ChangePropagationFilter(CredentialChanges changes) {
        this.changes = changes;
    }

    @ServerResponseFilter
    Uni<Void> awaitPropagation(ContainerResponseContext response) {
        if (!VertxContext.isOnDuplicatedContext()) {
            return Uni.createFrom().voidItem();
        }
        Optional<List<Long>> pending = ContextLocals.get(CredentialChangeNotifier.PENDING);
        if (pending.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        ContextLocals.remove(CredentialChangeNotifier.PENDING);
        if (response.getStatus() >= 400) {
            // The changing transaction did not commit (or the change is moot): nothing to wait for.
            changes.forget(pending.get());
            return Uni.createFrom().voidItem();
        }
        return changes.awaitPropagation(pending.get());
    }
}
