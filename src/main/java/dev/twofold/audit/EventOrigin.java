package dev.twofold.audit;

import dev.twofold.account.Caller;
import java.util.Optional;

/**
 * Where the action behind an event came from: the end user's IP (as reported by the front-end or mail
 * server), the mail protocol, the user agent, and for an admin's action the admin (its token's
 * {@code sub}), each when known.
 */
public record EventOrigin(
        Optional<String> ip, Optional<String> protocol, Optional<String> userAgent, Optional<String> actor) {

    /** An action of the account's owner or of a mail login: no admin acted. */
    public EventOrigin(Optional<String> ip, Optional<String> protocol, Optional<String> userAgent) {
        this(ip, protocol, userAgent, Optional.empty());
    }

    /** The same origin, naming the admin when {@code caller} is one. */
    public EventOrigin by(Caller caller) {
        return caller.isAdmin() ? new EventOrigin(ip, protocol, userAgent, caller.actor()) : this;
    }

    private static final int MAX_USER_AGENT = 200;

    public static EventOrigin unknown() {
        return new EventOrigin(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static EventOrigin web(String ip, String userAgent) {
        return new EventOrigin(
                Optional.ofNullable(ip),
                Optional.empty(),
                Optional.ofNullable(userAgent)
                        .map(agent -> agent.length() > MAX_USER_AGENT ? agent.substring(0, MAX_USER_AGENT) : agent));
    }
}
