package dev.twofold.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals secrets at rest with AES-256-GCM under the key ring: a fresh random 96-bit nonce per seal,
 * a 128-bit tag, and the caller's AAD (the account id) so a sealed seed copied to another account's
 * row does not open.
 */
@ApplicationScoped
public class SecretSealer {

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final KeyRing keyRing;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SecretSealer(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    /** Seals {@code plaintext} with the active key, bound to {@code aad} (the account id). */
    public SealedSecret seal(byte[] plaintext, String aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        String keyId = keyRing.activeKeyId();
        // A random 96-bit nonce per seal: with one key, collisions stay negligible far beyond the
        // number of secrets Twofold will ever seal.
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keyRing.key(keyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aadBytes(aad));
            byte[] out = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
            return new SealedSecret(keyId, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Opens a sealed secret with the ring key it names.
     *
     * @throws SealingException if that key is not in the ring, or the key, the AAD or the data is wrong
     */
    public byte[] open(SealedSecret sealed, String aad) {
        Objects.requireNonNull(sealed, "sealed");
        if (!keyRing.keyIds().contains(sealed.keyId())) {
            throw new SealingException(
                    "Secret was sealed with key '" + sealed.keyId() + "', which is not in the key ring");
        }
        byte[] data = sealed.ciphertext();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealingException("Sealed secret is too short to be AES-GCM output");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    keyRing.key(sealed.keyId()),
                    new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(aadBytes(aad));
            return cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealingException(
                    "Sealed secret does not open with key '" + sealed.keyId()
                            + "': wrong key, wrong account or altered data",
                    e);
        } catch (GeneralSecurityException e) {
            throw new SealingException("Sealed secret could not be opened with key '" + sealed.keyId() + "'", e);
        }
    }

    /** Whether {@code sealed} uses the active key; if not, re-seal it to complete a rotation. */
    public boolean isSealedWithActiveKey(SealedSecret sealed) {
        return keyRing.activeKeyId().equals(sealed.keyId());
    }

    private static byte[] aadBytes(String aad) {
        return Objects.requireNonNull(aad, "aad").getBytes(StandardCharsets.UTF_8);
    }
}
