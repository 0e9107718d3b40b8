package dev.twofold.totp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QrCodeSvgTest {

    private static final String OTPAUTH = "otpauth://totp/Example%20Mail:alice%40example.org"
            + "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example%20Mail&algorithm=SHA1&digits=6&period=30";
    private static final Pattern SVG = Pattern.compile(
            "<svg xmlns=\"http://www\\.w3\\.org/2000/svg\" viewBox=\"0 0 (\\d+) (\\d+)\" shape-rendering=\"crispEdges\">"
                    + "<rect width=\"(\\d+)\" height=\"(\\d+)\" fill=\"#fff\"/>"
                    + "<path fill=\"#000\" d=\"([^\"]*)\"/></svg>");
    private static final Pattern RUN = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
    private static final int PIXELS_PER_MODULE = 4;

    @ParameterizedTest
    @ValueSource(
            strings = {
                OTPAUTH,
                "otpauth://totp/Twofold:j%C3%B6rg%40b%C3%BCcher.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Twofold",
                "otpauth://totp/Twofold:jörg@bücher.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Twofold",
            })
    void renderedSvgDecodesBackToTheText(String text) throws Exception {
        Result result = decode(QrCodeSvg.render(text), Map.of());

        assertEquals(text, result.getText());
        assertEquals("M", result.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL));
    }

    @Test
    void scansLikeACameraImageToo() throws Exception {
        // No PURE_BARCODE hint: the reader has to find the finder patterns in the quiet zone itself.
        assertEquals(
                OTPAUTH,
                decode(QrCodeSvg.render(OTPAUTH), Map.of(DecodeHintType.TRY_HARDER, true))
                        .getText());
    }

    @Test
    void isOneSquareSelfContainedSvgWithAFourModuleQuietZone() {
        String svg = QrCodeSvg.render(OTPAUTH);
        Matcher m = SVG.matcher(svg);

        assertTrue(m.matches(), svg);
        int size = Integer.parseInt(m.group(1));
        assertEquals(size, Integer.parseInt(m.group(2)));
        assertEquals(size, Integer.parseInt(m.group(3)));
        assertEquals(0, (size - 8 - 21) % 4, "a QR version is 21 + 4k modules wide, plus 2 × 4 quiet modules");
        BitMatrix modules = modules(svg);
        for (int i = 0; i < size; i++) {
            for (int q = 0; q < 4; q++) {
                assertTrue(
                        !modules.get(i, q)
                                && !modules.get(q, i)
                                && !modules.get(i, size - 1 - q)
                                && !modules.get(size - 1 - q, i),
                        "quiet zone at " + i + "," + q);
            }
        }
        assertTrue(modules.get(4, 4) && modules.get(size - 5, 4) && modules.get(4, size - 5), "finder pattern corners");
    }

    /** Rasterises the SVG's module rectangles and runs ZXing's QR reader on the image. */
    static Result decode(String svg, Map<DecodeHintType, ?> hints) throws Exception {
        BitMatrix modules = modules(svg);
        int size = modules.getWidth() * PIXELS_PER_MODULE;
        int[] pixels = new int[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean dark = modules.get(x / PIXELS_PER_MODULE, y / PIXELS_PER_MODULE);
                pixels[y * size + x] = dark ? 0xFF000000 : 0xFFFFFFFF;
            }
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(size, size, pixels)));
        return new QRCodeReader().decode(bitmap, hints);
    }

    /** The dark modules of the SVG's path, which must consist of nothing but one-module-high runs. */
    private static BitMatrix modules(String svg) {
        Matcher m = SVG.matcher(svg);
        assertTrue(m.matches(), svg);
        int size = Integer.parseInt(m.group(1));
        String path = m.group(5);
        BitMatrix modules = new BitMatrix(size);
        Matcher run = RUN.matcher(path);
        int consumed = 0;
        while (run.find()) {
            assertEquals(consumed, run.start(), "unexpected path data at " + consumed);
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            int width = Integer.parseInt(run.group(3));
            assertEquals(width, Integer.parseInt(run.group(4)));
            modules.setRegion(x, y, width, 1);
            consumed = run.end();
        }
        assertEquals(path.length(), consumed, "unexpected path data at " + consumed);
        return modules;
    }
}
