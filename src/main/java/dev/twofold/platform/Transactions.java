package dev.twofold.platform;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;

/**
 * Database units of work that run to their end once started. Quarkus REST cancels a request's Uni
 * when the client closes the connection; a Hibernate Reactive session or transaction cancelled
 * half-way can close its connection with the transaction still open, which leaves it {@code idle in
 * transaction} holding row locks (quarkusio/quarkus#51576). Work wrapped here is subscribed on its
 * own: a cancelled caller only stops waiting for it, while it commits or rolls back and returns its
 * connection as usual. Keep such units short and free of Argon2 (see {@code Argon2Hasher}).
 */
public final class Transactions {

    private Transactions() {}

    /** {@code work} in a transaction (joining the caller's, if there is one), run to completion. */
    public static <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return toCompletion(() -> Panache.withTransaction(work));
    }

    /** {@code work} in a session without a transaction (reads), run to completion. */
    public static <T> Uni<T> inSession(Supplier<Uni<T>> work) {
        return toCompletion(() -> Panache.withSession(work));
    }

    private static <T> Uni<T> toCompletion(Supplier<Uni<T>> work) {
        // Subscribed on the caller's thread and Vert.x context, where Panache keeps the session.
        return Uni.createFrom().emitter(emitter -> work.get().subscribe().with(emitter::complete, emitter::fail));
    }
}
