package dev.twofold.mailauth.nginx;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.Map;
import java.util.Optional;

/** The nginx mail proxy adapter ({@code GET /v1/mail-auth/nginx}); {@link NginxUpstreams} parses the backends. */
@ConfigMapping(prefix = "twofold.mail-auth.nginx")
interface NginxMailAuthConfig {

    /**
     * The backend nginx proxies each protocol to, as {@code ip:port} ({@code [ipv6]:port}), keyed by
     * {@code imap}, {@code pop3} or {@code smtp}; nginx needs an IP address, not a host name.
     */
    Map<String, String> backends();

    /**
     * A backend-only secret nginx logs in to the backend with after Twofold accepted an app passcode,
     * so the passcode never reaches the backend (which must accept it only from the proxy); absent =
     * nginx passes on what the client typed. 16-128 printable ASCII characters, no space, '%', '"' or '\'.
     */
    // Sent verbatim in a response header that nginx reads into a 1 KB buffer: printable ASCII
    // without the characters nginx or the backend's protocol would escape or quote.
    Optional<
                    @Pattern(
                            regexp = "[!#-$&-\\[\\]-~]{16,128}",
                            message = "must be 16-128 printable ASCII characters"
                                    + " without space, '%', '\"' or backslash (e.g. `openssl rand -hex 24`)")
                    String>
            backendPassword();

    /**
     * What a {@code use-password} decision (two-factor off, the secret is no passcode) becomes for
     * IMAP and POP3 (SMTP always refuses it: nginx only vouches for SMTP logins, it never logs in):
     * {@code pass-through} lets nginx log in to the backend with the client's own credentials, so the
     * backend checks the primary password; {@code reject} refuses the login.
     */
    @WithDefault("pass-through")
    PasswordFallback passwordFallback();

    /** Seconds nginx waits before the client may try again after a refused or temporarily failed login. */
    @WithDefault("3")
    @Min(0)
    @Max(60)
    int failureWait();

    /** Login attempts per client connection; after a refusal at this attempt nginx closes the connection. */
    @WithDefault("3")
    @Positive
    int maxLoginAttempts();

    enum PasswordFallback {
        PASS_THROUGH,
        REJECT
    }
}
