package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.network.IpAddresses;
import dev.twofold.passcode.MailProtocol;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/** One login (or introspection) being decided: who, over what, from where, when. */
record PasscodeUse(
        AccountId account,
        Optional<MailProtocol> protocol,
        Optional<InetAddress> clientIp,
        Optional<String> clientName,
        Instant at) {

    private static final int MAX_CLIENT_NAME = 200;

    Optional<String> ipText() {
        return clientIp.map(IpAddresses::format);
    }

    /** Where the login came from, as a security event records it (the client name cut to a sane length). */
    EventOrigin origin() {
        return new EventOrigin(
                ipText(),
                protocol.map(MailProtocol::slug),
                clientName.map(name -> name.length() > MAX_CLIENT_NAME ? name.substring(0, MAX_CLIENT_NAME) : name));
    }
}
