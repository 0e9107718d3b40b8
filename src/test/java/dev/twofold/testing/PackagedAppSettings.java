package dev.twofold.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URL;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * What an operator must configure for the packaged jar (which runs in the prod profile, without the
 * test resources on its class path): a fresh key ring, the test IdP's public key and issuer, and the
 * assertion signing key, the keys as file URLs into {@code target/test-classes}.
 */
public class PackagedAppSettings implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Map.of(
                "twofold.encryption.keys",
                "it:" + Base64.getEncoder().encodeToString(key),
                "twofold.encryption.active-key",
                "it",
                "mp.jwt.verify.issuer",
                Tokens.ISSUER,
                "mp.jwt.verify.publickey.location",
                fileUrl("keys/idp-public.pem"),
                "smallrye.jwt.sign.key.location",
                fileUrl("keys/assertion-private.pem"));
    }

    @Override
    public void stop() {}

    private static String fileUrl(String resource) {
        URL url = PackagedAppSettings.class.getClassLoader().getResource(resource);
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new IllegalStateException("Test resource " + resource + " is not a file on the class path");
        }
        return url.toString();
    }
}
