package dev.twofold.audit;

import java.util.Optional;

/**
 * Where the action behind an event came from: the end user's IP (as reported by the front-end or mail
 * server), the mail protocol, and the user agent, each when known.
 */
public record EventOrigin(Optional<String> ip, Optional<String> protocol, Optional<String> userAgent) {

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
