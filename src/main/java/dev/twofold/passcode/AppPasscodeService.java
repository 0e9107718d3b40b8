package dev.twofold.passcode;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.changes.CredentialChangeNotifier;
import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.network.IpRange;
import dev.twofold.platform.Transactions;
import dev.twofold.policy.DomainPolicies;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * App passcodes: one per device or mail app, named, shown once, limited in number, scoped by
 * protocol, client network and expiry, revocable one by one or all at once. Stored only as an
 * Argon2id hash plus a keyed lookup hash. Every change that can affect a login (revoke, rename,
 * expiry) notifies all replicas inside its transaction ({@link CredentialChangeNotifier}).
 */
@ApplicationScoped
public class AppPasscodeService {

    private static final Logger LOG = Logger.getLogger(AppPasscodeService.class);

    private final AppPasscodeRepository passcodes;
    private final SecurityEventLog events;
    private final CredentialChangeNotifier changes;
    private final PasscodeRevocations revocations;
    private final Argon2Hasher argon2;
    private final LookupHasher lookupHasher;
    private final SecretGenerator generator;
    private final AppPasscodeConfig config;
    private final PasscodeUsePolicy usePolicy;
    private final DomainPolicies domainPolicies;
    private final Clock clock;

    AppPasscodeService(
            AppPasscodeRepository passcodes,
            SecurityEventLog events,
            CredentialChangeNotifier changes,
            PasscodeRevocations revocations,
            Argon2Hasher argon2,
            LookupHasher lookupHasher,
            SecretGenerator generator,
            AppPasscodeConfig config,
            PasscodeUsePolicy usePolicy,
            DomainPolicies domainPolicies,
            Clock clock) {
        this.passcodes = passcodes;
        this.events = events;
        this.changes = changes;
        this.revocations = revocations;
        this.argon2 = argon2;
        this.lookupHasher = lookupHasher;
        this.generator = generator;
        this.config = config;
        this.usePolicy = usePolicy;
        this.domainPolicies = domainPolicies;
        this.clock = clock;
    }

    /**
     * Creates a passcode. Fails with {@code validation-failed} (bad network, expiry not in the
     * future), {@code duplicate-name}, {@code passcode-limit-reached} or {@code policy-violation}
     * (the domain policy's protocols or count; its lifetime caps the expiry instead).
     */
    public Uni<IssuedPasscode> create(AccountId account, PasscodeRequest request, EventOrigin origin) {
        Instant now = clock.instant();
        PasscodeScope scope = new PasscodeScope(request.protocols(), ranges(request.allowedIps()));
        if (request.expiresAt().filter(expiry -> !expiry.isAfter(now)).isPresent()) {
            throw ProblemException.invalidField("expiresAt", "must lie in the future");
        }
        return domainPolicies
                .of(account)
                .map(policy -> new PasscodeBounds(config.maxPerAccount(), policy))
                .invoke(bounds -> bounds.check(request))
                .flatMap(bounds -> create(account, request, scope, bounds, origin, now));
    }

    private Uni<IssuedPasscode> create(
            AccountId account,
            PasscodeRequest request,
            PasscodeScope scope,
            PasscodeBounds bounds,
            EventOrigin origin,
            Instant now) {
        String passcode = generator.appPasscode();
        // The cheap refusals first, so a request that will be refused costs no Argon2; the hash is
        // computed outside any transaction, and the transaction checks again under the account lock.
        return Transactions.inSession(() -> requireRoom(account, bounds, now)
                        .call(() -> passcodes
                                .activeNameTaken(account.value(), request.name(), now, usePolicy.unusedCutoff(now))
                                .invoke(AppPasscodeService::refuseTakenName)))
                .flatMap(ignored -> argon2.hash(passcode))
                .flatMap(hash -> Transactions.inTransaction(() -> passcodes
                        .lockAccount(account.value())
                        .call(() -> revocations.expireStale(Optional.of(account.value()), now))
                        .call(() -> requireRoom(account, bounds, now))
                        .call(() -> requireFreeName(account, request.name(), Optional.empty()))
                        .flatMap(ignored -> {
                            AppPasscode entity = new AppPasscode();
                            entity.id = UUID.randomUUID();
                            entity.accountId = account.value();
                            entity.name = request.name();
                            entity.lookupHash = lookupHasher.forStorage(LookupHasher.Purpose.APP_PASSCODE, passcode);
                            entity.lookupKeyId = lookupHasher.activeKeyId();
                            entity.passcodeHash = hash;
                            entity.protocols = scope.protocolsColumn();
                            entity.allowedIps = scope.allowedIpsColumn();
                            entity.createdAt = now;
                            entity.expiresAt =
                                    bounds.expiry(request.expiresAt(), now).orElse(null);
                            return passcodes.persist(entity);
                        })
                        .call(entity -> events.record(
                                account, SecurityEventType.PASSCODE_CREATED, origin, entity.eventDetail()))
                        .map(entity -> new IssuedPasscode(AppPasscodeInfo.of(entity), displayForm(passcode)))));
    }

    /** Refuses a new passcode when the account is at its limit. */
    private Uni<Void> requireRoom(AccountId account, PasscodeBounds bounds, Instant now) {
        return passcodes
                .countActive(account.value(), now, usePolicy.unusedCutoff(now))
                .invoke(bounds::requireRoom)
                .replaceWithVoid();
    }

    /** The account's active passcodes, newest first. */
    public Uni<List<AppPasscodeInfo>> list(AccountId account) {
        Instant now = clock.instant();
        return Transactions.inSession(() -> passcodes
                .listActive(account.value(), now, usePolicy.unusedCutoff(now))
                .map(found -> found.stream().map(AppPasscodeInfo::of).toList()));
    }

    /** One active passcode; {@code not-found} when it does not exist, was revoked or has expired. */
    public Uni<AppPasscodeInfo> get(AccountId account, UUID id) {
        Instant now = clock.instant();
        return Transactions.inSession(() -> passcodes
                .findActive(account.value(), id, now, usePolicy.unusedCutoff(now))
                .map(found -> AppPasscodeInfo.of(orNotFound(found))));
    }

    /** Renames an active passcode; {@code duplicate-name} if another active one has the name. */
    public Uni<AppPasscodeInfo> rename(AccountId account, UUID id, String name, EventOrigin origin) {
        Instant now = clock.instant();
        return Transactions.inTransaction(() -> passcodes
                .lockAccount(account.value())
                .call(() -> revocations.expireStale(Optional.of(account.value()), now))
                .flatMap(ignored -> passcodes.lockActive(account.value(), id, now, usePolicy.unusedCutoff(now)))
                .map(AppPasscodeService::orNotFound)
                .call(passcode -> requireFreeName(account, name, Optional.of(id)))
                .call(passcode -> {
                    if (passcode.name.equals(name)) {
                        return Uni.createFrom().voidItem();
                    }
                    Map<String, String> detail = passcode.eventDetail();
                    detail.put("previousName", passcode.name);
                    detail.put("passcodeName", name);
                    passcode.name = name;
                    return events.record(account, SecurityEventType.PASSCODE_RENAMED, origin, detail)
                            .call(() -> changes.passcodesChanged(account));
                })
                .map(AppPasscodeInfo::of));
    }

    /** Revokes one passcode; {@code not-found} when it does not exist or was already revoked. */
    public Uni<Void> revoke(AccountId account, UUID id, EventOrigin origin) {
        return Transactions.inTransaction(() -> passcodes
                .lockUnrevoked(account.value(), id)
                .map(AppPasscodeService::orNotFound)
                .flatMap(passcode -> revocations.revoke(account, List.of(passcode), RevocationReason.REVOKED, origin)));
    }

    /** Revokes every passcode of the account (none is fine). */
    public Uni<Void> revokeAll(AccountId account, EventOrigin origin) {
        return Transactions.inTransaction(() -> passcodes
                .lockAllUnrevoked(account.value())
                .flatMap(found -> revocations.revoke(account, found, RevocationReason.REVOKE_ALL, origin)));
    }

    /**
     * The directory reports a primary password change: all passcodes are revoked when
     * {@code twofold.app-passcodes.revoke-on-password-change} is on (the default).
     */
    public Uni<Void> passwordChanged(AccountId account, EventOrigin origin) {
        if (!config.revokeOnPasswordChange()) {
            LOG.debugf("Password change of %s recorded; passcodes kept (revoke-on-password-change is off)", account);
            return Uni.createFrom().voidItem();
        }
        return Transactions.inTransaction(() -> passcodes
                .lockAllUnrevoked(account.value())
                .flatMap(found -> revocations.revoke(account, found, RevocationReason.PASSWORD_CHANGE, origin)));
    }

    /** How many active passcodes the account has. */
    public Uni<Long> countActive(AccountId account) {
        Instant now = clock.instant();
        return Transactions.inSession(() -> passcodes.countActive(account.value(), now, usePolicy.unusedCutoff(now)));
    }

    private Uni<Void> requireFreeName(AccountId account, String name, Optional<UUID> except) {
        return passcodes
                .nameTaken(account.value(), name, except)
                .invoke(AppPasscodeService::refuseTakenName)
                .replaceWithVoid();
    }

    private static void refuseTakenName(boolean taken) {
        if (taken) {
            throw new ProblemException(ProblemType.DUPLICATE_NAME, "An active app passcode already has this name.");
        }
    }

    private static List<IpRange> ranges(List<String> allowedIps) {
        List<IpRange> ranges = new ArrayList<>(allowedIps.size());
        for (int i = 0; i < allowedIps.size(); i++) {
            int index = i;
            ranges.add(IpRange.parse(allowedIps.get(i))
                    .orElseThrow(() -> ProblemException.invalidField(
                            "allowedIps[" + index + "]", "is not an IPv4 or IPv6 network in CIDR notation")));
        }
        return ranges;
    }

    private static AppPasscode orNotFound(AppPasscode passcode) {
        if (passcode == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such app passcode.");
        }
        return passcode;
    }

    /** {@code abcdefghijklmnop} → {@code abcd efgh ijkl mnop}. */
    static String displayForm(String passcode) {
        StringBuilder display = new StringBuilder(passcode.length() + 3);
        for (int i = 0; i < passcode.length(); i += 4) {
            if (i > 0) {
                display.append(' ');
            }
            display.append(passcode, i, Math.min(i + 4, passcode.length()));
        }
        return display.toString();
    }
}
