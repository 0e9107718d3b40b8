package dev.twofold.mailserver;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.twofold.testing.PackagedAppSettings;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mail stack plus what the webmail needs from Twofold: Roundcube's own signing key, trusted next
 * to the IdP's through one JWKS (each key under its {@code kid}), and 127.0.0.1, where Roundcube
 * runs, as the webmail network. Mail apps in the test connect from 127.0.0.2.
 */
public class WebmailStackResource extends MailStackResource {

    static final String IDP_KEY_ID = "idp";
    static final String ROUNDCUBE_KEY_ID = "roundcube";
    static final String WEBMAIL_NETWORK = "127.0.0.1/32";

    private static Path roundcubeKey;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(new PackagedAppSettings().start());
        config.putAll(super.start());
        try {
            Path dir = Files.createDirectories(MailStack.current().dir().resolve("webmail"));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair roundcube = generator.generateKeyPair();
            roundcubeKey = dir.resolve("roundcube-jwt.key");
            Files.writeString(
                    roundcubeKey,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                                    .encodeToString(roundcube.getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n",
                    UTF_8);
            RSAPublicKey idp = (RSAPublicKey) KeyUtils.readPublicKey("keys/idp-public.pem");
            Path jwks = dir.resolve("trusted-keys.jwks");
            Files.writeString(
                    jwks,
                    "{\"keys\":[" + jwk(IDP_KEY_ID, idp) + ","
                            + jwk(ROUNDCUBE_KEY_ID, (RSAPublicKey) roundcube.getPublic()) + "]}",
                    UTF_8);
            config.put("mp.jwt.verify.publickey.location", jwks.toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        config.put("twofold.mail-auth.webmail-networks", WEBMAIL_NETWORK);
        // WebmailIT walks into the lockout and waits it out: three wrong codes, five seconds.
        config.put("twofold.totp.lockout.max-failures", "3");
        config.put("twofold.totp.lockout.initial", "5S");
        return config;
    }

    /** The PEM private key Roundcube signs its users' tokens with. */
    static Path roundcubeKey() {
        return roundcubeKey;
    }

    private static String jwk(String kid, RSAPublicKey key) {
        return "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                + unsigned(key.getModulus()) + "\",\"e\":\"" + unsigned(key.getPublicExponent()) + "\"}";
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
    }
}
