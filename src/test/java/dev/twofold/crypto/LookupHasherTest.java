package dev.twofold.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.twofold.crypto.LookupHasher.Purpose;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class LookupHasherTest {

    private static final String PASSCODE = "abcdefghijklmnop";

    private final LookupHasher underA = new LookupHasher(KeyRings.ring("a", "a"));

    /** RFC 5869 Appendix A, test cases 1 to 3 (HKDF-SHA256). */
    static Stream<Arguments> rfc5869Vectors() {
        return Stream.of(
                Arguments.of(
                        "0b".repeat(22),
                        "000102030405060708090a0b0c",
                        "f0f1f2f3f4f5f6f7f8f9",
                        42,
                        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                Arguments.of(
                        sequence(0x00, 80),
                        sequence(0x60, 80),
                        sequence(0xb0, 80),
                        82,
                        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                                + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                                + "cc30c58179ec3e87c14c01d5c1f3434f1d87"),
                Arguments.of(
                        "0b".repeat(22),
                        "",
                        "",
                        42,
                        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
    }

    @ParameterizedTest
    @MethodSource("rfc5869Vectors")
    void hkdfMatchesRfc5869(String ikm, String salt, String info, int length, String okm) {
        HexFormat hex = HexFormat.of();
        assertEquals(
                okm,
                hex.formatHex(
                        LookupHasher.hkdfSha256(hex.parseHex(ikm), hex.parseHex(salt), hex.parseHex(info), length)));
    }

    @ParameterizedTest
    @EnumSource(Purpose.class)
    void storageHashIsDeterministicAndAnHmacSha256(Purpose purpose) {
        byte[] first = underA.forStorage(purpose, PASSCODE);

        assertArrayEquals(first, underA.forStorage(purpose, PASSCODE));
        assertArrayEquals(first, new LookupHasher(KeyRings.ring("a", "a")).forStorage(purpose, PASSCODE));
        assertEquals(32, first.length);
    }

    @Test
    void differentSecretsHashDifferently() {
        assertFalse(Arrays.equals(
                underA.forStorage(Purpose.APP_PASSCODE, PASSCODE),
                underA.forStorage(Purpose.APP_PASSCODE, "abcdefghijklmnoq")));
    }

    @Test
    void eachPurposeHasItsOwnKey() {
        List<byte[]> hashes = Stream.of(Purpose.values())
                .map(p -> underA.forStorage(p, PASSCODE))
                .toList();

        for (int i = 0; i < hashes.size(); i++) {
            for (int j = i + 1; j < hashes.size(); j++) {
                assertFalse(
                        Arrays.equals(hashes.get(i), hashes.get(j)),
                        Purpose.values()[i] + " vs " + Purpose.values()[j]);
            }
        }
    }

    @Test
    void eachRingKeyGivesADifferentHash() {
        LookupHasher underB = new LookupHasher(KeyRings.ring("b", "b"));

        assertFalse(Arrays.equals(
                underA.forStorage(Purpose.APP_PASSCODE, PASSCODE), underB.forStorage(Purpose.APP_PASSCODE, PASSCODE)));
    }

    @Test
    void candidatesStillFindRowsStoredBeforeARotation() {
        byte[] storedUnderA = underA.forStorage(Purpose.RECOVERY_CODE, PASSCODE);
        LookupHasher rotated = new LookupHasher(KeyRings.ring("b", "a", "b"));

        List<byte[]> candidates = rotated.candidates(Purpose.RECOVERY_CODE, PASSCODE);

        assertEquals(2, candidates.size());
        assertArrayEquals(rotated.forStorage(Purpose.RECOVERY_CODE, PASSCODE), candidates.get(0), "active key first");
        assertArrayEquals(storedUnderA, candidates.get(1));
        assertArrayEquals(
                new LookupHasher(KeyRings.ring("b", "b")).forStorage(Purpose.RECOVERY_CODE, PASSCODE),
                candidates.get(0));
    }

    @Test
    void hashIsNotAPlainDigestOfTheSecret() throws Exception {
        byte[] plain = MessageDigest.getInstance("SHA-256").digest(PASSCODE.getBytes(StandardCharsets.UTF_8));

        assertFalse(Arrays.equals(plain, underA.forStorage(Purpose.APP_PASSCODE, PASSCODE)));
    }

    private static String sequence(int from, int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (from + i);
        }
        return HexFormat.of().formatHex(bytes);
    }
}
