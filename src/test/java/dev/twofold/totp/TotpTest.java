package dev.twofold.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTest {

    private static final Duration PERIOD = Duration.ofSeconds(30);
    /** RFC 6238 Appendix B's keys: the errata make each as long as its hash (20, 32, 64 bytes). */
    private static final Map<HashAlgorithm, byte[]> RFC_6238_KEYS = Map.of(
            HashAlgorithm.SHA1, ascii("12345678901234567890"),
            HashAlgorithm.SHA256, ascii("12345678901234567890123456789012"),
            HashAlgorithm.SHA512, ascii("1234567890123456789012345678901234567890123456789012345678901234"));

    private static final byte[] RFC_4226_KEY = ascii("12345678901234567890");
    private static final long NOW = 1_000_000;

    /** RFC 6238 Appendix B: time, step (T), algorithm, 8-digit TOTP. */
    static Stream<Arguments> rfc6238Vectors() {
        return Stream.of(
                Arguments.of(59L, 0x1L, HashAlgorithm.SHA1, "94287082"),
                Arguments.of(59L, 0x1L, HashAlgorithm.SHA256, "46119246"),
                Arguments.of(59L, 0x1L, HashAlgorithm.SHA512, "90693936"),
                Arguments.of(1111111109L, 0x23523ECL, HashAlgorithm.SHA1, "07081804"),
                Arguments.of(1111111109L, 0x23523ECL, HashAlgorithm.SHA256, "68084774"),
                Arguments.of(1111111109L, 0x23523ECL, HashAlgorithm.SHA512, "25091201"),
                Arguments.of(1111111111L, 0x23523EDL, HashAlgorithm.SHA1, "14050471"),
                Arguments.of(1111111111L, 0x23523EDL, HashAlgorithm.SHA256, "67062674"),
                Arguments.of(1111111111L, 0x23523EDL, HashAlgorithm.SHA512, "99943326"),
                Arguments.of(1234567890L, 0x273EF07L, HashAlgorithm.SHA1, "89005924"),
                Arguments.of(1234567890L, 0x273EF07L, HashAlgorithm.SHA256, "91819424"),
                Arguments.of(1234567890L, 0x273EF07L, HashAlgorithm.SHA512, "93441116"),
                Arguments.of(2000000000L, 0x3F940AAL, HashAlgorithm.SHA1, "69279037"),
                Arguments.of(2000000000L, 0x3F940AAL, HashAlgorithm.SHA256, "90698825"),
                Arguments.of(2000000000L, 0x3F940AAL, HashAlgorithm.SHA512, "38618901"),
                Arguments.of(20000000000L, 0x27BC86AAL, HashAlgorithm.SHA1, "65353130"),
                Arguments.of(20000000000L, 0x27BC86AAL, HashAlgorithm.SHA256, "77737706"),
                Arguments.of(20000000000L, 0x27BC86AAL, HashAlgorithm.SHA512, "47863826"));
    }

    @ParameterizedTest(name = "{2} at {0}")
    @MethodSource("rfc6238Vectors")
    void totpMatchesRfc6238AppendixB(long epochSeconds, long step, HashAlgorithm alg, String expected) {
        Instant instant = Instant.ofEpochSecond(epochSeconds);

        assertEquals(step, Totp.timeStep(instant, PERIOD));
        assertEquals(expected, Totp.hotp(RFC_6238_KEYS.get(alg), Totp.timeStep(instant, PERIOD), 8, alg));
    }

    /** RFC 4226 Appendix D: counter, 6-digit HOTP-SHA1. */
    @ParameterizedTest(name = "counter {0}")
    @CsvSource({
        "0, 755224", "1, 287082", "2, 359152", "3, 969429", "4, 338314",
        "5, 254676", "6, 287922", "7, 162583", "8, 399871", "9, 520489",
    })
    void hotpMatchesRfc4226AppendixD(long counter, String expected) {
        assertEquals(expected, Totp.hotp(RFC_4226_KEY, counter, 6, HashAlgorithm.SHA1));
    }

    @Test
    void hotpKeepsLeadingZeros() {
        assertEquals("07081804", Totp.hotp(RFC_6238_KEYS.get(HashAlgorithm.SHA1), 0x23523ECL, 8, HashAlgorithm.SHA1));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 30, 0",
        "29, 30, 0",
        "30, 30, 1",
        "59, 30, 1",
        "60, 60, 1",
        "-1, 30, -1",
        "-30, 30, -1",
        "-31, 30, -2",
    })
    void timeStepRoundsDownAlsoBeforeTheEpoch(long epochSeconds, long periodSeconds, long step) {
        assertEquals(step, Totp.timeStep(Instant.ofEpochSecond(epochSeconds), Duration.ofSeconds(periodSeconds)));
    }

    @Test
    void timeStepIgnoresFractionsOfASecond() {
        assertEquals(1, Totp.timeStep(Instant.ofEpochSecond(59, 999_999_999), PERIOD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT-30S", "PT0.5S", "PT30.5S"})
    void timeStepRejectsPeriodsThatAreNotWholePositiveSeconds(String period) {
        assertThrows(IllegalArgumentException.class, () -> Totp.timeStep(Instant.EPOCH, Duration.parse(period)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 10})
    void rejectsUnsupportedDigitCounts(int digits) {
        assertThrows(IllegalArgumentException.class, () -> Totp.hotp(RFC_4226_KEY, 0, digits, HashAlgorithm.SHA1));
    }

    @ParameterizedTest(name = "offset {0}, window {1}")
    @CsvSource({
        "-2, 1, false",
        "-1, 1, true",
        "0, 1, true",
        "1, 1, true",
        "2, 1, false",
        "-2, 2, true",
        "2, 2, true",
        "-3, 2, false",
        "3, 2, false",
        "0, 0, true",
        "-1, 0, false",
        "1, 0, false",
    })
    void matchingStepAcceptsExactlyTheStepsInsideTheWindow(int offset, int window, boolean accepted) {
        String code = Totp.hotp(RFC_4226_KEY, NOW + offset, 6, HashAlgorithm.SHA1);

        OptionalLong step = Totp.matchingStep(RFC_4226_KEY, code, NOW, window, 6, HashAlgorithm.SHA1);

        assertEquals(accepted ? OptionalLong.of(NOW + offset) : OptionalLong.empty(), step);
    }

    @ParameterizedTest
    @MethodSource("dev.twofold.totp.TotpTest#everyAlgorithm")
    void matchingStepWorksForEveryAlgorithmAndEightDigits(HashAlgorithm alg) {
        byte[] key = RFC_6238_KEYS.get(alg);
        String code = Totp.hotp(key, NOW + 1, 8, alg);

        assertEquals(OptionalLong.of(NOW + 1), Totp.matchingStep(key, code, NOW, 1, 8, alg));
        assertEquals(OptionalLong.empty(), Totp.matchingStep(key, code, NOW, 1, 6, alg), "wrong length for 6 digits");
    }

    static Stream<HashAlgorithm> everyAlgorithm() {
        return Stream.of(HashAlgorithm.values());
    }

    @Test
    void matchingStepRejectsACodeOfNoStepInTheWindow() {
        String wrong = codeOutsideWindow(NOW, 1);

        assertEquals(OptionalLong.empty(), Totp.matchingStep(RFC_4226_KEY, wrong, NOW, 1, 6, HashAlgorithm.SHA1));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", "12345", "1234567", "12345a", " 12345", "123 456", "12345\n", "-12345", "+12345", "١٢٣٤٥٦", "１２３４５６"
            })
    void matchingStepRejectsInputThatIsNotSixAsciiDigits(String code) {
        assertEquals(OptionalLong.empty(), Totp.matchingStep(RFC_4226_KEY, code, NOW, 1, 6, HashAlgorithm.SHA1));
    }

    @Test
    void matchingStepRejectsNull() {
        assertEquals(OptionalLong.empty(), Totp.matchingStep(RFC_4226_KEY, null, NOW, 1, 6, HashAlgorithm.SHA1));
    }

    @Test
    void matchingStepReturnsTheHighestOfSeveralMatchingSteps() {
        long[] pair = twoStepsWithTheSameCode();
        // A window whose top is the later step: every step below it has a distinct code but the earlier one.
        int window = (int) (pair[1] - pair[0] + 1) / 2;
        long center = pair[1] - window;
        String code = Totp.hotp(RFC_4226_KEY, pair[0], 6, HashAlgorithm.SHA1);

        assertEquals(
                OptionalLong.of(pair[1]), Totp.matchingStep(RFC_4226_KEY, code, center, window, 6, HashAlgorithm.SHA1));
    }

    @Test
    void matchingStepNeverMatchesStepsBeforeTheEpoch() {
        String codeOfStepMinusOne = Totp.hotp(RFC_4226_KEY, -1, 6, HashAlgorithm.SHA1);
        assertNotEquals(Totp.hotp(RFC_4226_KEY, 0, 6, HashAlgorithm.SHA1), codeOfStepMinusOne);
        assertNotEquals(Totp.hotp(RFC_4226_KEY, 1, 6, HashAlgorithm.SHA1), codeOfStepMinusOne);

        assertEquals(
                OptionalLong.empty(), Totp.matchingStep(RFC_4226_KEY, codeOfStepMinusOne, 0, 1, 6, HashAlgorithm.SHA1));
    }

    @Test
    void matchingStepRejectsANegativeWindow() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Totp.matchingStep(RFC_4226_KEY, "123456", NOW, -1, 6, HashAlgorithm.SHA1));
    }

    private static String codeOutsideWindow(long now, int window) {
        Map<String, Long> inWindow = new HashMap<>();
        for (long step = now - window; step <= now + window; step++) {
            inWindow.put(Totp.hotp(RFC_4226_KEY, step, 6, HashAlgorithm.SHA1), step);
        }
        for (long step = now + window + 1; ; step++) {
            String code = Totp.hotp(RFC_4226_KEY, step, 6, HashAlgorithm.SHA1);
            if (!inWindow.containsKey(code)) {
                return code;
            }
        }
    }

    /** Two steps of the RFC 4226 key with equal 6-digit codes (birthday bound: found within a few thousand). */
    private static long[] twoStepsWithTheSameCode() {
        Map<String, Long> seen = new HashMap<>();
        for (long step = 0; step < 100_000; step++) {
            Long earlier = seen.put(Totp.hotp(RFC_4226_KEY, step, 6, HashAlgorithm.SHA1), step);
            if (earlier != null) {
                return new long[] {earlier, step};
            }
        }
        return fail("no two steps share a code");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
