package dev.twofold.mailauth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mail login path: its cache, throttling and introspection clients (how changes reach every
 * replica is {@code twofold.mail-auth.propagation}, {@link dev.twofold.changes.PropagationConfig}).
 */
// Public because SmallRye Config's Bean Validation pass at boot reads its groups (throttle,
// introspection) by reflection, which a package-private interface refuses.
@ConfigMapping(prefix = "twofold.mail-auth")
public interface MailAuthConfig {

    /** How long a verified passcode (or an account's two-factor state) may answer logins from memory; 0 turns the cache off. */
    @WithDefault("5M")
    Duration cacheTtl();

    /** Most verified passcodes the login cache holds (a few hundred bytes each); only a right passcode gets in. */
    @WithDefault("10000")
    int cacheMaxEntries();

    /**
     * Most accounts whose two-factor state (the answer to a secret that is no passcode) the login cache
     * holds; any login name fills it, so it is bounded apart from the verified passcodes.
     */
    @WithDefault("10000")
    int cacheMaxAccounts();

    /**
     * The webmail hosts' networks (CIDR; none by default): their password logins over the webmail's
     * protocols are the webmail's, which asks for the second factor itself ({@link WebmailNetworks}).
     */
    Optional<List<String>> webmailNetworks();

    /**
     * The least time between two {@code webmail-password-login} events of one account (the webmail logs
     * in on every request); remembered per replica. 0 records every such login.
     */
    @WithDefault("1H")
    Duration webmailEventInterval();

    Throttle throttle();

    Introspection introspection();

    interface Throttle {

        /** Failed logins allowed per account and client IP (IPv6: per /64) within account-ip-window. */
        @WithDefault("10")
        int accountIpFailures();

        /** The window of account-ip-failures. */
        @WithDefault("1M")
        Duration accountIpWindow();

        /** Failed logins allowed per client IP (IPv6: per /64), whatever the account, within ip-window. */
        @WithDefault("100")
        int ipFailures();

        /** The window of ip-failures. */
        @WithDefault("1M")
        Duration ipWindow();

        /** Most throttle keys tracked in memory per replica. */
        @WithDefault("100000")
        int maxTracked();
    }

    interface Introspection {

        /**
         * Introspection clients that authenticate with {@code client_id}/{@code client_secret}: client id →
         * lower-case hex SHA-256 of its secret (e.g. {@code printf %s "$SECRET" | sha256sum}). Empty = bearer tokens only.
         */
        Map<String, String> clients();
    }
}
