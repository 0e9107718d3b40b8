package dev.twofold.mailauth.nginx;

import dev.twofold.network.IpAddresses;
import dev.twofold.passcode.MailProtocol;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where nginx proxies each mail protocol after a login is allowed, and with which backend
 * credential: {@code twofold.mail-auth.nginx.*} parsed and checked at boot, so a typo stops the
 * service instead of sending every login to a wrong or unreachable backend.
 */
@ApplicationScoped
@Startup
class NginxUpstreams {

    /** The protocols the nginx mail module proxies. */
    static final Set<MailProtocol> PROXIED = Set.of(MailProtocol.IMAP, MailProtocol.POP3, MailProtocol.SMTP);

    private static final Pattern ENDPOINT = Pattern.compile("(?:\\[([^\\]]+)]|([^:\\[\\]]+)):(\\d{1,5})");

    private final Map<MailProtocol, Backend> backends;
    private final Optional<String> backendPassword;

    @Inject
    NginxUpstreams(NginxMailAuthConfig config) {
        this(config.backends(), config.backendPassword());
    }

    /** Backends are parsed here; the password arrives checked by Bean Validation of {@link NginxMailAuthConfig}. */
    NginxUpstreams(Map<String, String> backends, Optional<String> backendPassword) {
        this.backends = Collections.unmodifiableMap(parse(backends));
        this.backendPassword = backendPassword;
    }

    /** The backend for {@code protocol}, or empty when none is configured. */
    Optional<Backend> backendFor(MailProtocol protocol) {
        return Optional.ofNullable(backends.get(protocol));
    }

    /** The secret nginx logs in to the backend with after an accepted passcode, if configured. */
    Optional<String> backendPassword() {
        return backendPassword;
    }

    private static Map<MailProtocol, Backend> parse(Map<String, String> raw) {
        Map<MailProtocol, Backend> parsed = new EnumMap<>(MailProtocol.class);
        raw.forEach((key, value) -> {
            MailProtocol protocol = MailProtocol.ofSlug(key)
                    .filter(PROXIED::contains)
                    .orElseThrow(() -> new IllegalStateException(
                            "twofold.mail-auth.nginx.backends." + key + ": nginx proxies only imap, pop3 and smtp"));
            parsed.put(
                    protocol,
                    Backend.parse(value)
                            .orElseThrow(() -> new IllegalStateException("twofold.mail-auth.nginx.backends." + key
                                    + " must be ip:port or [ipv6]:port with an IP"
                                    + " address (nginx does not resolve host names here) and a port 1-65535, not '"
                                    + value + "'")));
        });
        return parsed;
    }

    /** A backend address as nginx wants it in {@code Auth-Server} and {@code Auth-Port}. */
    record Backend(String address, int port) {

        static Optional<Backend> parse(String endpoint) {
            Matcher matcher = ENDPOINT.matcher(endpoint == null ? "" : endpoint.strip());
            if (!matcher.matches()) {
                return Optional.empty();
            }
            String host = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            int port = Integer.parseInt(matcher.group(3));
            if (port < 1 || port > 65535) {
                return Optional.empty();
            }
            return IpAddresses.parse(host).map(ip -> new Backend(IpAddresses.format(ip), port));
        }
    }
}
