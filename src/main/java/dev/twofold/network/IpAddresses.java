package dev.twofold.network;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals as mail servers report them. Parsing never resolves a name: a string that is
 * not an IPv4 or IPv6 literal is refused, whatever DNS would say about it. IPv4-mapped IPv6
 * addresses ({@code ::ffff:198.51.100.7}) are the IPv4 address they carry.
 */
public final class IpAddresses {

    /** What an IPv6 literal may contain: no zone id, no brackets, nothing a resolver would look up. */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** A dotted-quad part with a leading zero, which some parsers read as octal. */
    private static final Pattern LEADING_ZERO = Pattern.compile("(^|\\.)0[0-9]");

    private IpAddresses() {}

    /** The address written as {@code literal}, or empty if it is not an IP address literal. */
    public static Optional<InetAddress> parse(String literal) {
        if (literal == null || literal.length() > 45) {
            return Optional.empty();
        }
        try {
            if (literal.indexOf(':') >= 0) {
                // With a ':' InetAddress parses an IPv6 literal or fails, never looks a name up; it
                // also accepts every mixed notation (2001:db8::192.0.2.1), which Netty's parser does not.
                return IPV6_CHARACTERS.matcher(literal).matches()
                        ? Optional.of(InetAddress.getByName(literal))
                        : Optional.empty();
            }
            if (!NetUtil.isValidIpV4Address(literal)
                    || LEADING_ZERO.matcher(literal).find()) {
                return Optional.empty();
            }
            return Optional.of(InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The canonical text of an address: dotted quad, or RFC 5952 for IPv6 (lower case, longest zero run as ::). */
    public static String format(InetAddress address) {
        return NetUtil.toAddressString(address);
    }

    /**
     * The network an attacker controls as one unit: the address itself for IPv4, its /64 for IPv6
     * (one subscriber usually holds a whole /64 and can rotate through it at will).
     */
    public static String network(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            return NetUtil.bytesToIpAddress(IpRange.masked(bytes, 64)) + "/64";
        }
        return format(address);
    }
}
