package dev.twofold.totp;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Renders text (an {@code otpauth://} URI) as a self-contained SVG QR code: error correction M, a
 * 4-module quiet zone, one module per user unit, all dark modules in a single path on a white
 * background, so it scans on dark pages too and scales without blurring.
 */
final class QrCodeSvg {

    static final int QUIET_ZONE = 4;

    private QrCodeSvg() {}

    /** The SVG document for {@code text}. */
    public static String render(String text) {
        ByteMatrix modules = encode(text).getMatrix();
        int size = modules.getWidth() + 2 * QUIET_ZONE;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < modules.getHeight(); y++) {
            int x = 0;
            while (x < modules.getWidth()) {
                if (modules.get(x, y) != 1) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < modules.getWidth() && modules.get(x, y) == 1) {
                    x++;
                }
                // One rectangle per horizontal run of dark modules keeps the path short.
                path.append('M')
                        .append(start + QUIET_ZONE)
                        .append(' ')
                        .append(y + QUIET_ZONE)
                        .append('h')
                        .append(x - start)
                        .append("v1h-")
                        .append(x - start)
                        .append('z');
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + ' ' + size + "\""
                + " shape-rendering=\"crispEdges\">"
                + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/>"
                + "<path fill=\"#000\" d=\"" + path + "\"/>"
                + "</svg>";
    }

    private static QRCode encode(String text) {
        // Plain ASCII (a percent-encoded URI) needs no ECI header, which some older scanners
        // mishandle; anything else is declared as UTF-8.
        Map<EncodeHintType, Object> hints =
                StandardCharsets.US_ASCII.newEncoder().canEncode(text)
                        ? Map.of()
                        : Map.of(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        try {
            return Encoder.encode(text, ErrorCorrectionLevel.M, hints);
        } catch (WriterException e) {
            throw new IllegalArgumentException("Text does not fit in a QR code", e);
        }
    }
}
