package dev.twofold.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every random secret Twofold hands out, drawn uniformly from one {@link SecureRandom}
 * ({@code nextInt(bound)} rejects out-of-range draws, so no character is more likely than another).
 */
@ApplicationScoped
public class SecretGenerator {

    static final int TOTP_SEED_BYTES = 20;
    static final int APP_PASSCODE_LENGTH = 16;
    static final int RECOVERY_CODE_HALF = 5;
    static final int MAX_RECOVERY_CODES = 100;
    static final int DEVICE_TOKEN_BYTES = 32;
    /** Lowercase letters: easy to type on a phone keyboard; 16 of them give ≈75 bits. */
    static final String APP_PASSCODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz";
    /** No 0/o, 1/l/i: recovery codes are often read off paper. */
    static final String RECOVERY_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";

    private final SecureRandom random = new SecureRandom();

    /** A fresh 160-bit TOTP seed (RFC 4226's recommended length). */
    public byte[] totpSeed() {
        byte[] seed = new byte[TOTP_SEED_BYTES];
        random.nextBytes(seed);
        return seed;
    }

    /** A fresh app passcode: 16 lowercase letters, without spaces (display groups them by four). */
    public String appPasscode() {
        return randomString(APP_PASSCODE_ALPHABET, APP_PASSCODE_LENGTH);
    }

    /** {@code count} distinct recovery codes, each {@code xxxxx-xxxxx} from the unambiguous alphabet. */
    public List<String> recoveryCodes(int count) {
        if (count < 1 || count > MAX_RECOVERY_CODES) {
            throw new IllegalArgumentException("recovery code count must be 1.." + MAX_RECOVERY_CODES);
        }
        Set<String> codes = new LinkedHashSet<>();
        while (codes.size() < count) {
            codes.add(randomString(RECOVERY_CODE_ALPHABET, RECOVERY_CODE_HALF) + "-"
                    + randomString(RECOVERY_CODE_ALPHABET, RECOVERY_CODE_HALF));
        }
        return List.copyOf(codes);
    }

    /**
     * The canonical form of a recovery code as typed (spaces, dashes and case ignored): its ten
     * characters, lowercase, without the dash; empty if the input cannot be a recovery code.
     */
    public static Optional<String> normaliseRecoveryCode(String typed) {
        if (typed == null || typed.length() > 4 * RECOVERY_CODE_HALF) {
            return Optional.empty();
        }
        StringBuilder code = new StringBuilder(2 * RECOVERY_CODE_HALF);
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            // ASCII only: Unicode case mapping would also turn e.g. the Kelvin sign into 'k'.
            c = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (c == '-' || c == ' ') {
                continue;
            }
            if (RECOVERY_CODE_ALPHABET.indexOf(c) < 0) {
                return Optional.empty();
            }
            code.append(c);
        }
        return code.length() == 2 * RECOVERY_CODE_HALF ? Optional.of(code.toString()) : Optional.empty();
    }

    /** A fresh trusted-device token: 32 random bytes, base64url without padding (43 characters). */
    public String deviceToken() {
        byte[] bytes = new byte[DEVICE_TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String randomString(String alphabet, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return new String(chars);
    }
}
