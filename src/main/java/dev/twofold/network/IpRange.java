package dev.twofold.network;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network in CIDR notation, kept in canonical form: host bits cleared, IPv6 per
 * RFC 5952, always with a prefix length ({@code 198.51.100.7} becomes {@code 198.51.100.7/32}).
 * IPv4-mapped IPv6 networks are the IPv4 networks they carry.
 */
public final class IpRange {

    private final byte[] network;
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** The range written as {@code text} ({@code address} or {@code address/prefix}), or empty if invalid. */
    public static Optional<IpRange> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        Optional<InetAddress> address = IpAddresses.parse(literal);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = address.get().getAddress();
        int maxLength = bytes.length * 8;
        // "::ffff:198.51.100.0/120" arrives as an IPv4 address: its prefix counts the 96 mapping bits.
        int offset = literal.indexOf(':') >= 0 && address.get() instanceof Inet4Address ? 96 : 0;
        int prefix = maxLength;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(digits) - offset;
            if (prefix < 0 || prefix > maxLength) {
                return Optional.empty();
            }
        }
        return Optional.of(new IpRange(masked(bytes, prefix), prefix));
    }

    /** Whether {@code address} lies in this network (an IPv4 address is never in an IPv6 network). */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && Arrays.equals(masked(candidate, prefixLength), network);
    }

    /** {@code bytes} with every bit past the first {@code prefix} cleared. */
    static byte[] masked(byte[] bytes, int prefix) {
        byte[] result = bytes.clone();
        for (int bit = prefix; bit < result.length * 8; bit++) {
            result[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpRange range
                && range.prefixLength == prefixLength
                && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** The canonical CIDR text, e.g. {@code 2001:db8:42::/48}. */
    @Override
    public String toString() {
        return NetUtil.bytesToIpAddress(network) + "/" + prefixLength;
    }
}
