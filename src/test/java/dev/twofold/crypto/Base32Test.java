package dev.twofold.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.twofold.testing.Base32Decoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base32Test {

    /** RFC 4648 section 10: plain text and its encoding, with the padding the RFC shows. */
    static Stream<Arguments> rfc4648Vectors() {
        return Stream.of(
                Arguments.of("", ""),
                Arguments.of("f", "MY======"),
                Arguments.of("fo", "MZXQ===="),
                Arguments.of("foo", "MZXW6==="),
                Arguments.of("foob", "MZXW6YQ="),
                Arguments.of("fooba", "MZXW6YTB"),
                Arguments.of("foobar", "MZXW6YTBOI======"));
    }

    @ParameterizedTest
    @MethodSource("rfc4648Vectors")
    void encodesRfc4648VectorsUppercaseWithoutPadding(String plain, String rfcEncoding) {
        assertEquals(rfcEncoding.replace("=", ""), Base32.encode(bytes(plain)));
    }

    @ParameterizedTest
    @MethodSource("rfc4648Vectors")
    void decodesRfc4648VectorsWithAndWithoutPadding(String plain, String rfcEncoding) {
        assertArrayEquals(bytes(plain), Base32Decoder.decode(rfcEncoding));
        assertArrayEquals(bytes(plain), Base32Decoder.decode(rfcEncoding.replace("=", "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mzxw6ytboi", "MZXW 6YTB OI", " mzxw\t6ytb\noi ", "MzXw6YtBoI", "mzxw 6ytb oi======"})
    void decodeIgnoresWhitespaceCaseAndPadding(String text) {
        assertArrayEquals(bytes("foobar"), Base32Decoder.decode(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MZXW1YTB", "MZXW0YTB", "MZXW8YTB", "MZ-W6YTB", "MZXW6YTÄ", "MZ=XW6YT"})
    void decodeRejectsCharactersOutsideTheAlphabet(String text) {
        assertThrows(IllegalArgumentException.class, () -> Base32Decoder.decode(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"M", "MZX", "MZXW6Y"})
    void decodeRejectsLengthsNoEncoderProduces(String text) {
        assertThrows(IllegalArgumentException.class, () -> Base32Decoder.decode(text));
    }

    @Test
    void roundTripsEveryLengthUpToFortyBytes() {
        for (int length = 0; length <= 40; length++) {
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++) {
                data[i] = (byte) (i * 37 + length);
            }
            assertArrayEquals(data, Base32Decoder.decode(Base32.encode(data)), "length " + length);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
