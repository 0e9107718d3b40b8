package dev.twofold.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretGeneratorTest {

    private static final Pattern APP_PASSCODE = Pattern.compile("[a-z]{16}");
    private static final String UNAMBIGUOUS = "[23456789abcdefghjkmnpqrstuvwxyz]";
    private static final Pattern RECOVERY_CODE = Pattern.compile(UNAMBIGUOUS + "{5}-" + UNAMBIGUOUS + "{5}");
    private static final Pattern DEVICE_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecretGenerator generator = new SecretGenerator();

    @Test
    void totpSeedsAre160BitsAndFresh() {
        byte[] first = generator.totpSeed();

        assertEquals(20, first.length);
        assertFalse(Arrays.equals(first, generator.totpSeed()));
    }

    @RepeatedTest(20)
    void appPasscodesAreSixteenLowercaseLettersWithoutSpaces() {
        String passcode = generator.appPasscode();

        assertTrue(APP_PASSCODE.matcher(passcode).matches(), passcode);
    }

    @Test
    void appPasscodesUseTheWholeAlphabet() {
        Set<Character> seen = new HashSet<>();
        // 200 passcodes = 3200 letters; missing a letter by chance has probability ≈ 26·(25/26)^3200.
        for (int i = 0; i < 200; i++) {
            generator.appPasscode().chars().forEach(c -> seen.add((char) c));
        }
        assertEquals(26, seen.size());
    }

    @Test
    void recoveryCodesAreTenDistinctCodesInTheUnambiguousFormat() {
        List<String> codes = generator.recoveryCodes(10);

        assertEquals(10, codes.size());
        assertEquals(10, new HashSet<>(codes).size());
        codes.forEach(code -> assertTrue(RECOVERY_CODE.matcher(code).matches(), code));
    }

    @Test
    void recoveryCodesNeverContainLookAlikeCharacters() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            generator
                    .recoveryCodes(10)
                    .forEach(code -> code.replace("-", "").chars().forEach(c -> seen.add((char) c)));
        }
        for (char lookAlike : new char[] {'0', '1', 'i', 'l', 'o'}) {
            assertFalse(seen.contains(lookAlike), "contains " + lookAlike);
        }
        assertEquals(31, seen.size(), "2000 characters cover the whole 31-character alphabet");
    }

    @Test
    void aLargeSetOfRecoveryCodesIsStillDistinct() {
        List<String> codes = generator.recoveryCodes(100);

        assertEquals(100, new HashSet<>(codes).size());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 101})
    void rejectsImpossibleRecoveryCodeCounts(int count) {
        assertThrows(IllegalArgumentException.class, () -> generator.recoveryCodes(count));
    }

    @Test
    void deviceTokensAre32RandomBytesInUnpaddedBase64Url() {
        String token = generator.deviceToken();

        assertTrue(DEVICE_TOKEN.matcher(token).matches(), token);
        assertEquals(32, Base64.getUrlDecoder().decode(token).length);
        assertFalse(token.equals(generator.deviceToken()));
    }
}
