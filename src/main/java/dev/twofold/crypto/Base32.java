package dev.twofold.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * RFC 4648 base32 (the alphabet authenticator apps expect for TOTP secrets). Encoding is
 * uppercase and unpadded; decoding ignores whitespace, case and trailing {@code =} padding.
 */
public final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
            VALUES[Character.toLowerCase(ALPHABET[i])] = i;
        }
    }

    private Base32() {
    }

    /** Encodes {@code data} as uppercase base32 without {@code =} padding. */
    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }

    /**
     * Decodes base32 text, ignoring whitespace, case and trailing {@code =} padding.
     *
     * @throws IllegalArgumentException if the text holds a character outside the alphabet or has a
     *     length no encoder can produce (the message never repeats the input)
     */
    public static byte[] decode(String text) {
        String compact = stripPadding(stripWhitespace(text));
        int remainder = compact.length() % 8;
        if (remainder == 1 || remainder == 3 || remainder == 6) {
            throw new IllegalArgumentException("base32 text has an impossible length");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(compact.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            int value = c < VALUES.length ? VALUES[c] : -1;
            if (value < 0) {
                throw new IllegalArgumentException("base32 text holds a character outside the alphabet at index " + i);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    private static String stripWhitespace(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String stripPadding(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '=') {
            end--;
        }
        return text.substring(0, end);
    }
}
