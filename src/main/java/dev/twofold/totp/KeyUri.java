package dev.twofold.totp;

import java.nio.charset.StandardCharsets;

/**
 * The Key URI Format authenticator apps read from QR codes
 * ({@code otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=…&digits=…&period=…}), and the
 * grouped form of a secret for typing it in.
 */
final class KeyUri {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * The most UTF-8 bytes of the account id the label shows. The label is only what the app
     * displays; unbounded, a long non-ASCII id (up to 320 characters of up to 4 bytes, each
     * percent-encoded to 3 characters) would not fit in any QR code.
     */
    static final int MAX_LABEL_ACCOUNT_BYTES = 255;

    private static final String ELLIPSIS = "\u2026";

    private KeyUri() {}

    static String totp(
            String issuer,
            String account,
            String base32Secret,
            HashAlgorithm algorithm,
            int digits,
            long periodSeconds) {
        return "otpauth://totp/" + encode(issuer) + ":" + encode(labelAccount(account))
                + "?secret=" + base32Secret
                + "&issuer=" + encode(issuer)
                + "&algorithm=" + algorithm.name()
                + "&digits=" + digits
                + "&period=" + periodSeconds;
    }

    /** The account id, cut at a character boundary and ending in "…" when its UTF-8 exceeds the bound. */
    static String labelAccount(String account) {
        if (account.getBytes(StandardCharsets.UTF_8).length <= MAX_LABEL_ACCOUNT_BYTES) {
            return account;
        }
        int budget = MAX_LABEL_ACCOUNT_BYTES - ELLIPSIS.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int codePoint : account.codePoints().toArray()) {
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > budget) {
                break;
            }
            cut.appendCodePoint(codePoint);
            used += size;
        }
        return cut.append(ELLIPSIS).toString();
    }

    /** {@code ABCDEFGH…} as {@code ABCD EFGH …}. */
    static String grouped(String base32Secret) {
        StringBuilder out = new StringBuilder(base32Secret.length() * 5 / 4);
        for (int i = 0; i < base32Secret.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                out.append(' ');
            }
            out.append(base32Secret.charAt(i));
        }
        return out.toString();
    }

    /**
     * RFC 3986 percent-encoding of UTF-8 with only the unreserved characters left as they are: a
     * space becomes {@code %20} (not {@code +}) and {@code :} inside the issuer or account becomes
     * {@code %3A}, so the label's own separator stays unambiguous.
     */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0x0f]);
            }
        }
        return out.toString();
    }
}
