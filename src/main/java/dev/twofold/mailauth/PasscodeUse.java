package dev.twofold.mailauth;

import dev.twofold.account.AccountId;
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

    Optional<String> ipText() {
        return clientIp.map(IpAddresses::format);
    }
}
