package dev.twofold.passcode;

import dev.twofold.network.IpRange;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where an app passcode may be used: which protocols (empty = all) and from which client networks
 * (empty list = anywhere). Also the one definition of how both are stored in {@code app_passcode}
 * (comma-separated slugs and canonical CIDRs, null meaning "no restriction").
 */
public record PasscodeScope(Optional<Set<MailProtocol>> protocols, List<IpRange> allowedIps) {

    public static final PasscodeScope UNRESTRICTED = new PasscodeScope(Optional.empty(), List.of());

    public PasscodeScope {
        protocols =
                protocols.filter(set -> !set.isEmpty()).map(set -> Collections.unmodifiableSet(EnumSet.copyOf(set)));
        allowedIps = allowedIps.stream().distinct().toList();
    }

    /** Reads the stored columns; {@code null} means unrestricted. */
    public static PasscodeScope fromColumns(String protocols, String allowedIps) {
        Optional<Set<MailProtocol>> protocolSet = Optional.ofNullable(protocols)
                .filter(text -> !text.isBlank())
                .map(text -> Arrays.stream(text.split(","))
                        .map(slug -> MailProtocol.ofSlug(slug)
                                .orElseThrow(
                                        () -> new IllegalStateException("Unknown protocol stored in app_passcode")))
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(MailProtocol.class))));
        List<IpRange> ranges = allowedIps == null || allowedIps.isBlank()
                ? List.of()
                : Arrays.stream(allowedIps.split(","))
                        .map(cidr -> IpRange.parse(cidr)
                                .orElseThrow(() -> new IllegalStateException("Invalid CIDR stored in app_passcode")))
                        .toList();
        return new PasscodeScope(protocolSet, ranges);
    }

    /** The {@code protocols} column value, null for all. */
    public String protocolsColumn() {
        return protocols
                .map(set -> set.stream().map(MailProtocol::slug).collect(Collectors.joining(",")))
                .orElse(null);
    }

    /** The {@code allowed_ips} column value, null for anywhere. */
    public String allowedIpsColumn() {
        return allowedIps.isEmpty()
                ? null
                : allowedIps.stream().map(IpRange::toString).collect(Collectors.joining(","));
    }

    public boolean allows(MailProtocol protocol) {
        return protocols.map(set -> set.contains(protocol)).orElse(true);
    }

    /** Whether a client at {@code clientIp} may use the passcode; an unknown IP never passes a restriction. */
    public boolean allows(Optional<InetAddress> clientIp) {
        if (allowedIps.isEmpty()) {
            return true;
        }
        return clientIp.map(ip -> allowedIps.stream().anyMatch(range -> range.contains(ip)))
                .orElse(false);
    }
}
