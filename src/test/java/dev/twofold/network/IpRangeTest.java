package dev.twofold.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

    @ParameterizedTest
    @CsvSource({
        "198.51.100.7/24, 198.51.100.0/24",
        "198.51.100.7, 198.51.100.7/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1/128",
        "2001:db8:42:ffff::/48, 2001:db8:42::/48",
        "2001:0:0:1:0:0:0:1/128, 2001:0:0:1::1/128",
        "2001:db8:0:0:1:0:0:0/128, 2001:db8:0:0:1::/128",
        "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
        "2001:db8:0:1:1:1:1:1/128, 2001:db8:0:1:1:1:1:1/128",
        "::/0, ::/0",
        "::1, ::1/128",
        "::ffff:192.0.2.0/120, 192.0.2.0/24",
        "::ffff:192.0.2.1, 192.0.2.1/32",
        "2001:db8::192.0.2.1, 2001:db8::c000:201/128",
    })
    void rangesAreCanonical(String written, String canonical) {
        assertEquals(canonical, IpRange.parse(written).orElseThrow().toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "01.2.3.4",
                "1.2.3.4/33",
                "1.2.3.4/",
                "1.2.3.4/-1",
                "2001:db8::/129",
                "2001:db8:::1",
                "fe80::1%eth0",
                "::ffff:1.2.3.4/95",
                "localhost",
                "deadbeef",
                "1.2.3.4/2x",
                "1.2.3.04",
                " 1.2.3.4",
                "1.2.3.4 ",
                "[::1]",
                "[::1]/128"
            })
    void invalidRangesAreRefused(String written) {
        assertTrue(IpRange.parse(written).isEmpty(), written);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deadbeef", "localhost", "example.com", "1e100", "0x7f.1", "127.1", ""})
    void namesAreNeverResolved(String literal) {
        assertTrue(IpAddresses.parse(literal).isEmpty(), literal);
    }

    @ParameterizedTest
    @CsvSource({
        "198.51.100.0/24, 198.51.100.255, true",
        "198.51.100.0/24, 198.51.101.0, false",
        "198.51.100.0/24, ::ffff:198.51.100.1, true",
        "2001:db8:42::/48, 2001:db8:42:ffff::1, true",
        "2001:db8:42::/48, 2001:db8:43::1, false",
        "0.0.0.0/0, 2001:db8::1, false",
        "::/0, 198.51.100.1, false",
        "10.0.0.1, 10.0.0.1, true",
    })
    void containment(String range, String address, boolean inside) {
        InetAddress parsed = IpAddresses.parse(address).orElseThrow();
        assertEquals(inside, IpRange.parse(range).orElseThrow().contains(parsed));
    }

    @ParameterizedTest
    @CsvSource({
        "198.51.100.23, 198.51.100.23",
        "2001:db8:1:2:3:4:5:6, 2001:db8:1:2::/64",
        "::ffff:198.51.100.23, 198.51.100.23",
    })
    void throttlingGroupsIpv6BySlash64(String address, String network) {
        assertEquals(network, IpAddresses.network(IpAddresses.parse(address).orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "2001:db8::1", "::"})
    void parsedAddressesFormatBackCanonically(String literal) {
        assertFalse(IpAddresses.format(IpAddresses.parse(literal).orElseThrow()).isEmpty());
        assertEquals(literal, IpAddresses.format(IpAddresses.parse(literal).orElseThrow()));
    }
}
