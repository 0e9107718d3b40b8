package dev.twofold.mailauth.nginx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decodes the {@code Auth-User} and {@code Auth-Pass} request headers of the nginx mail
 * {@code auth_http} protocol. nginx percent-escapes only space, {@code %} and control bytes and sends
 * every other byte raw, so a header is: the octets the client typed (read back from the header
 * string as ISO-8859-1, which is how the HTTP layer turned them into characters), RFC 3986
 * percent-decoded (a {@code +} stays a {@code +}, unlike form decoding), then read as UTF-8.
 */
final class NginxHeaderDecoder {

    private NginxHeaderDecoder() {}

    /**
     * The value the client typed, or empty when the header is absent or cannot have come from nginx
     * (a {@code %} without two hex digits, a character beyond ISO-8859-1, or bytes that are not UTF-8).
     */
    static Optional<String> decode(String header) {
        if (header == null) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length());
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c > 0xff) {
                return Optional.empty();
            }
            if (c != '%') {
                bytes.write(c);
                continue;
            }
            if (i + 2 >= header.length()) {
                return Optional.empty();
            }
            int high = hexValue(header.charAt(i + 1));
            int low = hexValue(header.charAt(i + 2));
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            bytes.write(high << 4 | low);
            i += 2;
        }
        return utf8(bytes.toByteArray());
    }

    /** ASCII hex digits only: {@link Character#digit} would also take other scripts' digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
