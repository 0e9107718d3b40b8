package dev.twofold.passcode;

import java.util.Locale;
import java.util.Optional;

/** The mail-system protocols an app passcode can be limited to; slugs are the contract's values. */
public enum MailProtocol {
    IMAP("imap"),
    POP3("pop3"),
    SMTP("smtp"),
    SIEVE("sieve"),
    CALDAV("caldav"),
    CARDDAV("carddav"),
    ACTIVESYNC("activesync"),
    XMPP("xmpp");

    private final String slug;

    MailProtocol(String slug) {
        this.slug = slug;
    }

    public String slug() {
        return slug;
    }

    /** The protocol named by {@code slug} in any case, or empty when no protocol has that name. */
    public static Optional<MailProtocol> ofSlug(String slug) {
        if (slug == null) {
            return Optional.empty();
        }
        String wanted = slug.strip().toLowerCase(Locale.ROOT);
        for (MailProtocol protocol : values()) {
            if (protocol.slug.equals(wanted)) {
                return Optional.of(protocol);
            }
        }
        return Optional.empty();
    }

    /** The protocol of a Dovecot service name ({@code submission} is SMTP, {@code managesieve} Sieve), if any. */
    public static Optional<MailProtocol> ofDovecotService(String service) {
        if (service == null) {
            return Optional.empty();
        }
        return switch (service.strip().toLowerCase(Locale.ROOT)) {
            case "submission" -> Optional.of(SMTP);
            case "managesieve" -> Optional.of(SIEVE);
            default -> ofSlug(service);
        };
    }
}
