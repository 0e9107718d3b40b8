package dev.twofold.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Twofold-Webhook-Signature} value: {@code v1=} and the lower-case hex HMAC-SHA256, keyed
 * with the UTF-8 bytes of {@code twofold.webhooks.secret}, of {@code <timestamp>.<body>} where the
 * timestamp is the {@code Twofold-Webhook-Timestamp} header (unix seconds) and the body the exact
 * bytes received. Signing the timestamp lets receivers refuse old (replayed) deliveries.
 */
final class WebhookSignature {

    static final String VERSION = "v1=";
    private static final String HMAC = "HmacSHA256";

    private WebhookSignature() {}

    static String sign(byte[] secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return VERSION + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
