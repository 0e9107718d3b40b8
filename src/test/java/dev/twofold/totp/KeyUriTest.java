package dev.twofold.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyUriTest {

    @Test
    void followsTheKeyUriFormat() {
        assertEquals(
                "otpauth://totp/Twofold:alice%40example.com?secret=FCSTYT5CSTTPYLSCEDF5X6ME72POISYL"
                        + "&issuer=Twofold&algorithm=SHA1&digits=6&period=30",
                KeyUri.totp(
                        "Twofold", "alice@example.com", "FCSTYT5CSTTPYLSCEDF5X6ME72POISYL", HashAlgorithm.SHA1, 6, 30));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Example Mail|Example%20Mail",
                "Acme: Mail|Acme%3A%20Mail",
                "jörg@bücher.example|j%C3%B6rg%40b%C3%BCcher.example",
                "a+b&c=d?e#f/g|a%2Bb%26c%3Dd%3Fe%23f%2Fg",
                "safe-._~AZaz09|safe-._~AZaz09",
            })
    void labelAndIssuerArePercentEncoded(String text, String encoded) {
        assertEquals(encoded, KeyUri.encode(text));
    }

    @Test
    void anAwkwardIssuerStillMakesAValidUri() {
        String uri = KeyUri.totp("Acme: Mail & Co", "bob+tag@example.com", "ABCD", HashAlgorithm.SHA256, 8, 60);

        URI parsed = URI.create(uri);
        assertEquals("/Acme: Mail & Co:bob+tag@example.com", parsed.getPath());
        assertEquals(
                "secret=ABCD&issuer=Acme%3A%20Mail%20%26%20Co&algorithm=SHA256&digits=8&period=60",
                parsed.getRawQuery());
    }

    @Test
    void labelShowsAtMost255BytesOfTheAccountCutAtACharacterBoundary() {
        assertEquals("alice@example.com", KeyUri.labelAccount("alice@example.com"));
        assertEquals("a".repeat(255), KeyUri.labelAccount("a".repeat(255)));
        assertEquals("a".repeat(252) + "…", KeyUri.labelAccount("a".repeat(256)));
        // 4-byte characters: 63 of them fill 252 bytes, then the 3-byte ellipsis.
        assertEquals("𝄞".repeat(63) + "…", KeyUri.labelAccount("𝄞".repeat(320)));
    }

    @Test
    void theLongestAccountIdStillFitsInAQrCode() {
        String uri =
                KeyUri.totp("Twofold", "𝄞".repeat(320), "FCSTYT5CSTTPYLSCEDF5X6ME72POISYL", HashAlgorithm.SHA1, 6, 30);

        assertTrue(QrCodeSvg.render(uri).startsWith("<svg"));
    }

    @ParameterizedTest
    @CsvSource({
        "FCSTYT5CSTTPYLSCEDF5X6ME72POISYL, FCST YT5C STTP YLSC EDF5 X6ME 72PO ISYL",
        "ABCDEF, ABCD EF",
        "ABCD, ABCD",
    })
    void manualEntryKeyIsGroupedByFour(String secret, String grouped) {
        assertEquals(grouped, KeyUri.grouped(secret));
    }
}
