package dev.twofold.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretSealerTest {

    private static final String ACCOUNT = "alice@example.org";
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    private final SecretSealer sealer = new SecretSealer(KeyRings.ring("a", "a"));

    @Test
    void opensWhatItSealed() {
        SealedSecret sealed = sealer.seal(SEED, ACCOUNT);

        assertArrayEquals(SEED, sealer.open(sealed, ACCOUNT));
        assertEquals("a", sealed.keyId());
    }

    @Test
    void ciphertextIsNonceThenCiphertextThenTag() {
        SealedSecret sealed = sealer.seal(SEED, ACCOUNT);

        assertEquals(12 + SEED.length + 16, sealed.ciphertext().length);
    }

    @Test
    void ciphertextHidesThePlaintextAndDiffersOnEverySeal() {
        SealedSecret first = sealer.seal(SEED, ACCOUNT);
        SealedSecret second = sealer.seal(SEED, ACCOUNT);

        assertFalse(contains(first.ciphertext(), SEED));
        assertNotEquals(first, second);
        assertFalse(
                Arrays.equals(Arrays.copyOf(first.ciphertext(), 12), Arrays.copyOf(second.ciphertext(), 12)),
                "each seal draws a fresh nonce");
    }

    @Test
    void sealsAnEmptySecret() {
        assertArrayEquals(new byte[0], sealer.open(sealer.seal(new byte[0], ACCOUNT), ACCOUNT));
    }

    @Test
    void anotherAccountsAadDoesNotOpen() {
        SealedSecret sealed = sealer.seal(SEED, ACCOUNT);

        assertThrows(SealingException.class, () -> sealer.open(sealed, "mallory@example.org"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 11, 12, 20, 47})
    void anyAlteredByteIsDetected(int index) {
        byte[] data = sealer.seal(SEED, ACCOUNT).ciphertext();
        data[index] ^= 0x01;

        assertThrows(SealingException.class, () -> sealer.open(new SealedSecret("a", data), ACCOUNT));
    }

    @Test
    void truncatedDataIsRejected() {
        assertThrows(SealingException.class, () -> sealer.open(new SealedSecret("a", new byte[27]), ACCOUNT));
    }

    @Test
    void aDifferentKeyUnderTheSameIdDoesNotOpen() {
        SealedSecret sealed = sealer.seal(SEED, ACCOUNT);
        SecretSealer impostor = new SecretSealer(new KeyRing("a:" + KeyRings.base64Key("other"), "a"));

        assertThrows(SealingException.class, () -> impostor.open(sealed, ACCOUNT));
    }

    @Test
    void rotationKeepsOldSecretsReadableUntilTheyAreResealed() {
        SealedSecret underA = sealer.seal(SEED, ACCOUNT);
        SecretSealer rotated = new SecretSealer(KeyRings.ring("b", "a", "b"));

        assertArrayEquals(SEED, rotated.open(underA, ACCOUNT));
        assertFalse(rotated.isSealedWithActiveKey(underA));

        SealedSecret resealed = rotated.seal(rotated.open(underA, ACCOUNT), ACCOUNT);
        assertEquals("b", resealed.keyId());
        assertTrue(rotated.isSealedWithActiveKey(resealed));
        assertArrayEquals(SEED, rotated.open(resealed, ACCOUNT));
    }

    @Test
    void aRingWithoutTheSealingKeyCannotOpen() {
        SealedSecret underA = sealer.seal(SEED, ACCOUNT);
        SecretSealer withoutA = new SecretSealer(KeyRings.ring("b", "b"));

        SealingException e = assertThrows(SealingException.class, () -> withoutA.open(underA, ACCOUNT));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void sealedSecretsCompareByValueAndPrintNoBytes() {
        SealedSecret sealed = sealer.seal(SEED, ACCOUNT);
        SealedSecret copy = new SealedSecret(sealed.keyId(), sealed.ciphertext());

        assertEquals(sealed, copy);
        assertEquals(sealed.hashCode(), copy.hashCode());
        assertEquals("SealedSecret[keyId=a, 48 bytes]", sealed.toString());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
