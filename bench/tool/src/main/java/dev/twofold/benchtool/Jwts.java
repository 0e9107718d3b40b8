package dev.twofold.benchtool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** RS256 bearer tokens as the mail system's IdP would mint them, signed with the run's throwaway key. */
final class Jwts {

    private Jwts() {
    }

    static String fromArgs(Args args) throws Exception {
        PrivateKey key = readPrivateKey(args.path("key"));
        String group = args.get("group", "");
        Duration ttl = Duration.ofMinutes(args.integer("ttl-minutes", 240));
        return mint(key, args.get("issuer"), args.get("subject"), group, ttl);
    }

    static String mint(PrivateKey key, String issuer, String subject, String group, Duration ttl) throws Exception {
        long now = Instant.now().getEpochSecond();
        String groups = group.isEmpty() ? "" : ",\"groups\":[\"" + group + "\"]";
        String header = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = base64Url("{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"iat\":" + now
                + ",\"exp\":" + (now + ttl.toSeconds()) + ",\"auth_time\":" + now + groups + "}");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    /** A PKCS#8 PEM ({@code openssl genpkey} output). */
    static PrivateKey readPrivateKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
