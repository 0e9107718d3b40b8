package dev.twofold.mailauth.nginx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One answer of the nginx {@code auth_http} protocol, which lives entirely in response headers.
 * Values are short by construction (nginx reads at most about 1 KB of headers): fixed texts, an IP
 * address and port, an account id of at most 320 characters and a backend password of at most 128.
 */
record NginxAuthReply(Map<String, String> headers) {

    static final String REFUSED = "Invalid login or password";
    static final String TEMPORARY_FAILURE = "Temporary server problem, try again later";
    // RFC 4954: 535 for bad credentials, 454 for a temporary failure while authenticating.
    static final String SMTP_REFUSED = "535 5.7.8";
    static final String SMTP_TEMPORARY_FAILURE = "454 4.7.0";

    NginxAuthReply {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * Let the login through to {@code backend} as {@code user} (always sent, so nginx never passes on
     * the client's own spelling), optionally with another password.
     */
    static NginxAuthReply allow(NginxUpstreams.Backend backend, String user, Optional<String> password) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Auth-Status", "OK");
        headers.put("Auth-Server", backend.address());
        headers.put("Auth-Port", Integer.toString(backend.port()));
        headers.put("Auth-User", user);
        password.ifPresent(value -> headers.put("Auth-Pass", value));
        return new NginxAuthReply(headers);
    }

    /**
     * Refuse the login. With a wait nginx lets the client try again on the same connection after
     * that many seconds; without one it closes the connection.
     */
    static NginxAuthReply refuse(boolean smtp, Optional<Integer> waitSeconds) {
        return failure(REFUSED, smtp ? SMTP_REFUSED : null, waitSeconds);
    }

    /** Say the login could not be decided now, so clients retry later instead of asking for a new password. */
    static NginxAuthReply temporaryFailure(boolean smtp, int waitSeconds) {
        return failure(TEMPORARY_FAILURE, smtp ? SMTP_TEMPORARY_FAILURE : null, Optional.of(waitSeconds));
    }

    private static NginxAuthReply failure(String status, String smtpCode, Optional<Integer> waitSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Auth-Status", status);
        waitSeconds.ifPresent(seconds -> headers.put("Auth-Wait", Integer.toString(seconds)));
        if (smtpCode != null) {
            headers.put("Auth-Error-Code", smtpCode);
        }
        return new NginxAuthReply(headers);
    }

    void writeTo(BiConsumer<String, String> header) {
        headers.forEach(header);
    }
}
