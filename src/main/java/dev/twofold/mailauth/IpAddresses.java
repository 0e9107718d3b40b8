package dev.twofold.mailauth;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP address literals as mail servers report them. Parsing never resolves a name: a string that is
 * not an IPv4 or IPv6 literal is refused, whatever DNS would say about it. IPv4-mapped IPv6
 * addresses ({@code ::ffff:198.51.100.7}) are the IPv4 address they carry.
 */
public final class IpAddresses {

    private IpAddresses() {}

    /** The address written as {@code literal}, or empty if it is not an IP address literal. */
    public static Optional<InetAddress> parse(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 45) {
            return Optional.empty();
        }
        if (literal.indexOf(':') >= 0) {
            // Only hex digits, colons and dots: InetAddress then parses an IPv6 literal and never
            // looks a name up (a ':' makes it an IPv6 literal or an error). Zone ids are refused.
            if (!literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return Optional.empty();
            }
            try {
                return Optional.of(InetAddress.getByName(literal));
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return parseIpv4(literal);
    }

    /** The canonical text of an address: dotted quad, or RFC 5952 for IPv6 (lower case, longest zero run as ::). */
    public static String format(InetAddress address) {
        return format(address.getAddress());
    }

    static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /**
     * The network an attacker controls as one unit: the address itself for IPv4, its /64 for IPv6
     * (one subscriber usually holds a whole /64 and can rotate through it at will).
     */
    public static String network(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = address.getAddress();
            for (int i = 8; i < 16; i++) {
                prefix[i] = 0;
            }
            return format(prefix) + "/64";
        }
        return format(address);
    }

    private static Optional<InetAddress> parseIpv4(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            // No signs, no empty parts, no leading zeros (which some parsers read as octal).
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        try {
            return Optional.of(Inet4Address.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
