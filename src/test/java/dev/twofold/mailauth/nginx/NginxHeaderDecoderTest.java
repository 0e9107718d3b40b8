package dev.twofold.mailauth.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NginxHeaderDecoderTest {

    /** As nginx sends them: only space, '%' and control bytes escaped. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "alice@example.com             | alice@example.com",
                "zwyf%20wslj%20ghtm%20davo     | zwyf wslj ghtm davo",
                "100%25+sure                   | 100%+sure",
                "a+b                           | a+b",
                "%2B%2b                        | ++",
            })
    void decodesWhatNginxEscapes(String header, String typed) {
        assertEquals(Optional.of(typed), NginxHeaderDecoder.decode(header));
    }

    @Test
    void decodesEscapedControlBytes() {
        assertEquals(Optional.of("tab\tand\nnewline"), NginxHeaderDecoder.decode("tab%09and%0Anewline"));
    }

    @Test
    void keepsPunctuationNginxSendsRaw() {
        assertEquals(Optional.of("q\"'`;&=?#/:,<>"), NginxHeaderDecoder.decode("q\"'`;&=?#/:,<>"));
    }

    @Test
    void readsRawUtf8BytesThatArriveAsLatin1Characters() {
        String typed = "pässwörd-€-日本";
        String header = new String(typed.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

        assertEquals(Optional.of(typed), NginxHeaderDecoder.decode(header));
    }

    @Test
    void decodesPercentEscapedUtf8Bytes() {
        assertEquals(Optional.of("é"), NginxHeaderDecoder.decode("%C3%a9"));
    }

    @Test
    void keepsAnEmptyValue() {
        assertEquals(Optional.of(""), NginxHeaderDecoder.decode(""));
    }

    @Test
    void treatsAnAbsentHeaderAsNoValue() {
        assertEquals(Optional.empty(), NginxHeaderDecoder.decode(null));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "%",
                "abc%",
                "abc%4",
                "%zz",
                "%g0",
                "%0g",
                "%\u0663\u0663", // Arabic-Indic digits are digits, but not hex digits nginx writes
                "\u20ac", // a character no ISO-8859-1 header byte can be
                "%FF%FE", // bytes that are not UTF-8
                "\u00c3", // a truncated two-byte UTF-8 sequence
            })
    void refusesWhatNginxCannotHaveSent(String header) {
        assertEquals(Optional.empty(), NginxHeaderDecoder.decode(header));
    }
}
