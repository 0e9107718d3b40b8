package dev.twofold.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret sealed by {@link SecretSealer}: the id of the ring key that sealed it and
 * {@code nonce (12 bytes) ‖ AES-GCM ciphertext ‖ tag (16 bytes)}. Store both; neither is secret.
 */
public record SealedSecret(String keyId, byte[] ciphertext) {

    public SealedSecret {
        Objects.requireNonNull(keyId, "keyId");
        ciphertext = Objects.requireNonNull(ciphertext, "ciphertext").clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedSecret that
                && keyId.equals(that.keyId)
                && Arrays.equals(ciphertext, that.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "SealedSecret[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
}
