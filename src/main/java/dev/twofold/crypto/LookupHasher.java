package dev.twofold.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed, non-reversible index for high-entropy secrets, so a row can be found by the secret's
 * value before its single Argon2 check: HMAC-SHA256 under a per-purpose key derived with HKDF-SHA256
 * (RFC 5869, empty salt, info {@code "twofold lookup " + label}) from every key in the ring.
 * Without the ring, a leaked index neither reveals secrets nor lets anyone test guesses offline.
 * Only for secrets with enough entropy that a keyed hash suffices (never for passwords).
 *
 * <p>Store {@link #activeKeyId()} next to every hash from {@link #forStorage}: a hash cannot be
 * recomputed without the secret, so a key rotation has to know which rows still need an old key.
 */
@ApplicationScoped
public class LookupHasher {

    /** What a secret is for; each purpose has its own derived key, so indexes never collide. */
    public enum Purpose {
        APP_PASSCODE("app-passcode"),
        RECOVERY_CODE("recovery-code"),
        DEVICE_TOKEN("device-token");

        // Stable HKDF labels: renaming a constant must not change stored hashes.
        private final String label;

        Purpose(String label) {
            this.label = label;
        }
    }

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_BYTES = 32;

    /** Per purpose, one derived key per ring key, the active key's first. */
    private final Map<Purpose, List<SecretKey>> keys = new EnumMap<>(Purpose.class);

    private final String activeKeyId;

    @Inject
    public LookupHasher(KeyRing keyRing) {
        List<String> ids = new ArrayList<>(keyRing.keyIds());
        ids.remove(keyRing.activeKeyId());
        ids.add(0, keyRing.activeKeyId());
        activeKeyId = keyRing.activeKeyId();
        for (Purpose purpose : Purpose.values()) {
            byte[] info = ("twofold lookup " + purpose.label).getBytes(StandardCharsets.UTF_8);
            List<SecretKey> derived = new ArrayList<>(ids.size());
            for (String id : ids) {
                byte[] ikm = keyRing.key(id).getEncoded();
                byte[] okm = hkdfSha256(ikm, new byte[0], info, HASH_BYTES);
                derived.add(new SecretKeySpec(okm, HMAC));
                Arrays.fill(ikm, (byte) 0);
                Arrays.fill(okm, (byte) 0);
            }
            keys.put(purpose, List.copyOf(derived));
        }
    }

    /** The id of the ring key that {@link #forStorage} keys hashes under. */
    public String activeKeyId() {
        return activeKeyId;
    }

    /** The index value to store for a secret, under the active key. */
    public byte[] forStorage(Purpose purpose, String normalisedSecret) {
        return hmac(keys.get(purpose).get(0), normalisedSecret);
    }

    /**
     * The index values to look a secret up by: one per ring key, the active key's first, so rows
     * stored before a key rotation are still found.
     */
    public List<byte[]> candidates(Purpose purpose, String normalisedSecret) {
        List<SecretKey> purposeKeys = keys.get(purpose);
        List<byte[]> hashes = new ArrayList<>(purposeKeys.size());
        for (SecretKey key : purposeKeys) {
            hashes.add(hmac(key, normalisedSecret));
        }
        return hashes;
    }

    private static byte[] hmac(SecretKey key, String normalisedSecret) {
        Objects.requireNonNull(normalisedSecret, "normalisedSecret");
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(normalisedSecret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** HKDF-SHA256 extract-then-expand (RFC 5869); an empty salt stands for 32 zero bytes. */
    static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_BYTES) {
            throw new IllegalArgumentException("HKDF-SHA256 output must be 1.." + 255 * HASH_BYTES + " bytes");
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_BYTES] : salt, HMAC));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, HMAC));
            Arrays.fill(prk, (byte) 0);
            byte[] okm = new byte[length];
            byte[] block = new byte[0];
            for (int i = 1, filled = 0; filled < length; i++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) i);
                block = mac.doFinal();
                int n = Math.min(block.length, length - filled);
                System.arraycopy(block, 0, okm, filled, n);
                filled += n;
            }
            Arrays.fill(block, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
