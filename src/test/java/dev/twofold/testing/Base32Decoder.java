package dev.twofold.testing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Reads back the base32 secrets the API hands out (RFC 4648 alphabet), as an authenticator app
 * would: whitespace, case and trailing {@code =} padding are ignored.
 */
public final class Base32Decoder {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = i;
            VALUES[Character.toLowerCase(ALPHABET.charAt(i))] = i;
        }
    }

    private Base32Decoder() {}

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
