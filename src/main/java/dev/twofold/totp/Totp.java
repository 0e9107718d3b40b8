package dev.twofold.totp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) as pure functions of key, counter or instant, period, digits
 * and algorithm. Time is always passed in; nothing here reads a clock or keeps state.
 */
public final class Totp {

    static final int MIN_DIGITS = 6;
    static final int MAX_DIGITS = 9;
    private static final int[] POWERS_OF_TEN = {
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
    };

    private Totp() {}

    /** The HOTP value for {@code counter}: dynamic truncation, zero-padded to {@code digits} (6 to 9). */
    public static String hotp(byte[] key, long counter, int digits, HashAlgorithm alg) {
        checkDigits(digits);
        return hotp(mac(key, alg), counter, digits);
    }

    private static String hotp(Mac mac, long counter, int digits) {
        byte[] hash =
                mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(counter).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        String code = Integer.toString(binary % POWERS_OF_TEN[digits]);
        return "0".repeat(digits - code.length()) + code;
    }

    /**
     * The TOTP time step of {@code instant}: epoch seconds divided by the period, rounded down
     * (also before 1970, where plain division would round towards zero and merge two steps).
     */
    public static long timeStep(Instant instant, Duration period) {
        Objects.requireNonNull(instant, "instant");
        return Math.floorDiv(instant.getEpochSecond(), periodSeconds(period));
    }

    /**
     * The step in {@code currentStep - window … currentStep + window} whose code equals {@code code}
     * (the highest if several do), or empty if none does or {@code code} is not exactly
     * {@code digits} ASCII digits. Negative steps are never matched.
     */
    public static OptionalLong matchingStep(
            byte[] key, String code, long currentStep, int window, int digits, HashAlgorithm alg) {
        checkDigits(digits);
        if (window < 0) {
            throw new IllegalArgumentException("window must not be negative");
        }
        if (code == null || code.length() != digits || !isAsciiDigits(code)) {
            return OptionalLong.empty();
        }
        if (currentStep > Long.MAX_VALUE - window || currentStep < Long.MIN_VALUE + window) {
            throw new IllegalArgumentException("currentStep is out of range");
        }
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        Mac mac = mac(key, alg);
        long match = -1;
        // Every candidate is computed and compared in constant time with no early exit, so the
        // response time reveals neither whether nor at which step the code matched.
        for (long step = currentStep - window; step <= currentStep + window; step++) {
            if (step < 0) {
                continue;
            }
            byte[] expected = hotp(mac, step, digits).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given)) {
                match = step;
            }
        }
        return match < 0 ? OptionalLong.empty() : OptionalLong.of(match);
    }

    private static Mac mac(byte[] key, HashAlgorithm alg) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(alg, "alg");
        try {
            Mac mac = Mac.getInstance(alg.macName());
            mac.init(new SecretKeySpec(key, alg.macName()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg.macName() + " is not available", e);
        }
    }

    private static boolean isAsciiDigits(String code) {
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long periodSeconds(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.getSeconds() < 1 || period.getNano() != 0) {
            throw new IllegalArgumentException("period must be a positive whole number of seconds");
        }
        return period.getSeconds();
    }

    private static void checkDigits(int digits) {
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new IllegalArgumentException("digits must be " + MIN_DIGITS + ".." + MAX_DIGITS);
        }
    }
}
