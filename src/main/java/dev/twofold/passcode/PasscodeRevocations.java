package dev.twofold.passcode;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.changes.CredentialChangeNotifier;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * How app passcodes stop working: revoked by their owner, all at once, on a password change, or
 * expired (fixed expiry, or unused too long). Each revocation leaves its security event and
 * reaches every replica's login cache inside the revoking transaction.
 */
@ApplicationScoped
class PasscodeRevocations {

    private static final Logger LOG = Logger.getLogger(PasscodeRevocations.class);
    private static final int SWEEP_BATCH = 500;

    private final AppPasscodeRepository passcodes;
    private final SecurityEventLog events;
    private final CredentialChangeNotifier changes;
    private final PasscodeUsePolicy usePolicy;
    private final Clock clock;

    PasscodeRevocations(
            AppPasscodeRepository passcodes,
            SecurityEventLog events,
            CredentialChangeNotifier changes,
            PasscodeUsePolicy usePolicy,
            Clock clock) {
        this.passcodes = passcodes;
        this.events = events;
        this.changes = changes;
        this.usePolicy = usePolicy;
        this.clock = clock;
    }

    /**
     * Marks expired passcodes (fixed expiry or unused too long) revoked with a passcode-expired
     * event, so the audit trail says when a passcode stopped working. Logins refuse them anyway.
     */
    @Scheduled(
            every = "${twofold.app-passcodes.expiry-sweep-interval:5M}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepExpired() {
        return Panache.withTransaction(() -> expireStale(Optional.empty(), clock.instant()))
                .onFailure()
                .invoke(failure -> LOG.warn("Sweeping expired app passcodes failed", failure));
    }

    /** Marks the account's (all accounts' if empty) expired passcodes revoked, a batch at a time; joins the caller's transaction. */
    Uni<Void> expireStale(Optional<String> accountId, Instant now) {
        return passcodes
                .lockExpired(accountId, now, usePolicy.unusedCutoff(now), SWEEP_BATCH)
                .flatMap(expired -> {
                    if (expired.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Set<AccountId> accounts = new LinkedHashSet<>();
                    return Multi.createFrom()
                            .iterable(expired)
                            .onItem()
                            .transformToUniAndConcatenate(passcode -> {
                                passcode.revokedAt = now;
                                passcode.revokedReason = RevocationReason.EXPIRED.slug();
                                AccountId account = new AccountId(passcode.accountId);
                                accounts.add(account);
                                return events.record(
                                        account,
                                        SecurityEventType.PASSCODE_EXPIRED,
                                        EventOrigin.unknown(),
                                        passcode.eventDetail());
                            })
                            .collect()
                            .last()
                            .flatMap(ignored -> notifyAll(accounts));
                });
    }

    /** Revokes {@code found} (locked by the caller's transaction) with one event each, then tells every replica. */
    Uni<Void> revoke(AccountId account, List<AppPasscode> found, RevocationReason reason, EventOrigin origin) {
        if (found.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.instant();
        return Multi.createFrom()
                .iterable(found)
                .onItem()
                .transformToUniAndConcatenate(passcode -> {
                    passcode.revokedAt = now;
                    passcode.revokedReason = reason.slug();
                    Map<String, String> detail = passcode.eventDetail();
                    if (reason != RevocationReason.REVOKED) {
                        detail.put("reason", reason.slug());
                    }
                    return events.record(account, SecurityEventType.PASSCODE_REVOKED, origin, detail);
                })
                .collect()
                .last()
                .flatMap(ignored -> changes.passcodesChanged(account));
    }

    private Uni<Void> notifyAll(Set<AccountId> accounts) {
        return Multi.createFrom()
                .iterable(accounts)
                .onItem()
                .transformToUniAndConcatenate(changes::passcodesChanged)
                .collect()
                .last()
                .replaceWithVoid();
    }
}
