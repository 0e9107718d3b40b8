package dev.twofold.mailauth;

import dev.twofold.passcode.MailProtocol;
import dev.twofold.passcode.PasscodeUsePolicy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 7662 introspection of app passcodes: the active passcode a bare token is, with no account and
 * no client IP. A passcode limited to some protocols is active only for a named protocol among them;
 * one limited to client networks is never active here, as the client's IP is unknown. An active one
 * counts as used, like a login.
 */
@ApplicationScoped
class IntrospectionService {

    private final PasscodeResolver passcodes;
    private final PasscodeUses uses;
    private final PasscodeUsePolicy policy;
    private final Clock clock;

    IntrospectionService(PasscodeResolver passcodes, PasscodeUses uses, PasscodeUsePolicy policy, Clock clock) {
        this.passcodes = passcodes;
        this.uses = uses;
        this.policy = policy;
        this.clock = clock;
    }

    /** The active passcode {@code token} is, for {@code protocol} if the caller names one. */
    Uni<Optional<CachedPasscode>> introspect(String token, Optional<MailProtocol> protocol) {
        String normalised = PasscodeResolver.normalise(token);
        if (!PasscodeResolver.couldBePasscode(normalised)) {
            return Uni.createFrom().item(Optional.empty());
        }
        Instant now = clock.instant();
        Uni<Optional<CachedPasscode>> found =
                passcodes.find(normalised, now, Optional.empty()).map(PasscodeResolver.Found::passcode);
        return found.flatMap(passcode -> {
            Optional<CachedPasscode> active = passcode.filter(candidate -> !candidate.expired(now, policy)
                    && candidate.scope().allowedIps().isEmpty()
                    && protocol.map(candidate.scope()::allows)
                            .orElse(candidate.scope().protocols().isEmpty()));
            if (active.isEmpty()) {
                return Uni.createFrom().item(active);
            }
            PasscodeUse use =
                    new PasscodeUse(active.get().account(), protocol, Optional.empty(), Optional.empty(), now);
            return uses.record(active.get(), use).replaceWith(active);
        });
    }
}
