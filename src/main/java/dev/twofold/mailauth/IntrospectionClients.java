package dev.twofold.mailauth;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The introspection clients of {@code twofold.mail-auth.introspection.clients}: client id → SHA-256
 * of its secret. Twofold never holds the secrets themselves; a plain SHA-256 suffices because client
 * secrets are long random strings, not passwords. Checked in constant time, unknown ids included.
 */
@ApplicationScoped
class IntrospectionClients {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, byte[]> secretHashes = new HashMap<>();
    /** Compared against when the client id is unknown, so the answer takes the same time. */
    private final byte[] decoy = new byte[32];

    IntrospectionClients(MailAuthConfig config) {
        config.introspection().clients().forEach((clientId, hash) -> {
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalStateException("twofold.mail-auth.introspection.clients." + clientId
                        + " must be the lower-case hex SHA-256 of the client secret (64 characters)");
            }
            secretHashes.put(clientId, HexFormat.of().parseHex(hash));
        });
    }

    boolean authenticates(String clientId, String clientSecret) {
        if (clientId == null || clientSecret == null) {
            return false;
        }
        byte[] expected = secretHashes.getOrDefault(clientId, decoy);
        boolean matches = MessageDigest.isEqual(sha256(clientSecret), expected);
        return matches && expected != decoy;
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
