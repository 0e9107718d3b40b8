package dev.twofold.mailauth;

import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.passcode.PasscodeLoginStore;
import dev.twofold.passcode.PasscodeUsePolicy;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Records that an app passcode was used: at most once per {@code last-use-resolution} per passcode,
 * and at once from a new client IP, which also records a {@code passcode-new-ip} event.
 */
@ApplicationScoped
class PasscodeUses {

    private static final Logger LOG = Logger.getLogger(PasscodeUses.class);

    private final PasscodeLoginStore store;
    private final SecurityEventLog events;
    private final PasscodeUsePolicy policy;

    PasscodeUses(PasscodeLoginStore store, SecurityEventLog events, PasscodeUsePolicy policy) {
        this.store = store;
        this.events = events;
        this.policy = policy;
    }

    /** Writes the use when {@link CachedPasscode#claimUseWrite} says so; a failed write never fails the login. */
    Uni<Void> record(CachedPasscode passcode, PasscodeUse use) {
        passcode.used(use.at());
        if (!passcode.verified().claimUseWrite(use.at(), policy.lastUseResolution(), use.ipText())) {
            return Uni.createFrom().voidItem();
        }
        return store.recordUse(passcode.id(), use.at(), use.ipText(), use.protocol())
                .flatMap(firstSeen ->
                        firstSeen ? newIpEvent(passcode, use) : Uni.createFrom().voidItem())
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.warnf("Recording the use of app passcode %s failed: %s", passcode.id(), failure.getMessage());
                    passcode.verified().forgetIp(use.ipText());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> newIpEvent(CachedPasscode passcode, PasscodeUse use) {
        Map<String, String> detail = Map.of("passcodeId", passcode.id().toString(), "passcodeName", passcode.name());
        return Panache.withTransaction(
                () -> events.record(passcode.account(), SecurityEventType.PASSCODE_NEW_IP, use.origin(), detail));
    }
}
