package dev.twofold.changes;

import dev.twofold.account.AccountId;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells every replica that an account's mail credentials or a domain's policy changed, so that
 * cached login decisions and policies are dropped. Call it inside the transaction that makes the change (a Panache
 * {@code @WithTransaction} method, or {@code Panache.withTransaction}): the notice is a PostgreSQL
 * {@code NOTIFY}, delivered to all replicas exactly when that transaction commits, and never if it
 * rolls back. When the change is made by an HTTP request, its successful response is held until
 * every live replica has confirmed the change (see {@link CredentialChanges} for the exact guarantee).
 */
@ApplicationScoped
public class CredentialChangeNotifier {

    /** Context-local key of the changes the current request made, awaited by {@link ChangePropagationFilter}. */
    static final String PENDING = "twofold.credential-changes";

    private final CredentialChanges changes;
    private final ChangeChannelStore channel;

    CredentialChangeNotifier(CredentialChanges changes, ChangeChannelStore channel) {
        this.changes = changes;
        this.channel = channel;
    }

    /** An app passcode of the account was revoked, renamed, re-scoped or expired. */
    public Uni<Void> passcodesChanged(AccountId account) {
        return notify('p', account);
    }

    /** Two-factor authentication was turned on or off for the account. */
    public Uni<Void> twoFactorChanged(AccountId account) {
        return notify('t', account);
    }

    /** The account was erased: every replica drops all it holds about it. */
    public Uni<Void> accountErased(AccountId account) {
        return notify('e', account);
    }

    /**
     * Two-factor authentication was turned on for {@code accounts} in the transaction on {@code
     * transaction} (imports, which write outside a Hibernate session): every replica drops what its
     * login cache holds about them once it commits. Nothing waits for the acknowledgements (the
     * import answers line by line); the reserved numbers expire unawaited.
     */
    public Uni<Void> twoFactorChangedOn(SqlClient transaction, List<String> accounts) {
        if (accounts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> payloads = accounts.stream()
                .map(account -> changes.changePayload(
                        changes.reserve(), 't', AccountId.of(account).value()))
                .toList();
        return channel.sendOn(transaction, CredentialChanges.CHANNEL, payloads);
    }

    /**
     * The domain's policy was set or cleared in the transaction on {@code transaction} (the policy
     * store writes on the raw pool): every replica drops the policy it holds once it commits, and the
     * request's response waits for them, as for {@link #passcodesChanged}.
     */
    public Uni<Void> domainPolicyChangedOn(SqlClient transaction, String domain) {
        long seq = changes.reserve();
        return awaitedByTheResponse(
                seq,
                channel.sendOn(
                        transaction, CredentialChanges.CHANNEL, List.of(changes.changePayload(seq, 'd', domain))));
    }

    private Uni<Void> notify(char kind, AccountId account) {
        long seq = changes.reserve();
        return awaitedByTheResponse(
                seq,
                Panache.getSession()
                        .flatMap(session -> session.createNativeQuery(
                                        "select cast(pg_notify(:channel, :payload) as text)", String.class)
                                .setParameter("channel", CredentialChanges.CHANNEL)
                                .setParameter("payload", changes.changePayload(seq, kind, account.value()))
                                .getSingleResult()));
    }

    /** Once {@code sent}, change {@code seq} is awaited by the current request's response; if sending fails, by nobody. */
    private Uni<Void> awaitedByTheResponse(long seq, Uni<?> sent) {
        return sent.invoke(() -> {
                    if (VertxContext.isOnDuplicatedContext()) {
                        List<Long> pending =
                                ContextLocals.<List<Long>>get(PENDING).orElseGet(ArrayList::new);
                        pending.add(seq);
                        ContextLocals.put(PENDING, pending);
                    }
                })
                .onFailure()
                .invoke(() -> changes.forget(List.of(seq)))
                .replaceWithVoid();
    }
}
