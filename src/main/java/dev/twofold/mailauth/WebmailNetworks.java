package dev.twofold.mailauth;

import dev.twofold.network.IpRange;
import dev.twofold.passcode.MailProtocol;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hosts of the operator's webmail ({@code twofold.mail-auth.webmail-networks}), parsed and
 * checked at boot. A webmail is itself an IMAP/SMTP/Sieve client that logs in with the user's
 * primary password on every request; it asks for the second factor at its own sign-in, so a login
 * from there may use the password even with two-factor authentication on. That trusts those hosts
 * to enforce the second factor and nobody else on them to reach the mail ports.
 */
@ApplicationScoped
@Startup
class WebmailNetworks {

    /** What a webmail logs in to: mail, sending, filters. POP3 and the rest are mail apps' protocols. */
    private static final Set<MailProtocol> WEBMAIL_PROTOCOLS =
            Set.of(MailProtocol.IMAP, MailProtocol.SMTP, MailProtocol.SIEVE);

    private final List<IpRange> networks;

    @Inject
    WebmailNetworks(MailAuthConfig config) {
        this(config.webmailNetworks().orElse(List.of()));
    }

    WebmailNetworks(List<String> networks) {
        this.networks = networks.stream()
                .map(String::strip)
                .filter(text -> !text.isEmpty())
                .map(text -> IpRange.parse(text)
                        .orElseThrow(() -> new IllegalStateException("twofold.mail-auth.webmail-networks: '" + text
                                + "' is no IP network in CIDR notation")))
                .toList();
    }

    /** Whether a login over {@code protocol} from {@code clientIp} comes from the webmail. */
    boolean contains(Optional<MailProtocol> protocol, Optional<InetAddress> clientIp) {
        return protocol.filter(WEBMAIL_PROTOCOLS::contains).isPresent()
                && clientIp.filter(ip -> networks.stream().anyMatch(network -> network.contains(ip)))
                        .isPresent();
    }
}
