package dev.twofold.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The rows one feature keeps about an account, for the account's erasure. Each table's owning
 * package implements it; the erasure runs every implementation in one transaction.
 */
public interface AccountRecords {

    /** Deletes every row about the account; joins the caller's reactive transaction. */
    Uni<Void> erase(AccountId account);

    /** Runs statements that name the account as the parameter {@code :account}, in order, in the current session. */
    static Uni<Void> delete(AccountId account, String... statements) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (String statement : statements) {
            done = done.chain(() -> Panache.getSession()
                    .flatMap(session -> session.createNativeQuery(statement)
                            .setParameter("account", account.value())
                            .executeUpdate())
                    .replaceWithVoid());
        }
        return done;
    }
}
