package dev.twofold.benchtool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The realm Keycloak imports for the side-by-side TOTP sign-in: per slice, users with a password and a
 * TOTP credential (HMAC-SHA1, 6 digits, 30 s, as Twofold's), a password policy that makes the hash
 * cheap (pbkdf2-sha256, 1 iteration) so the OTP path dominates, and a public client with direct access
 * grants. Writes {@code keycloak-<slice>.seeds} (user, hex key, password) for {@link TotpRequests}.
 */
final class KeycloakRealm {

    static final String REALM = "bench";
    static final String CLIENT = "bench-cli";
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeycloakRealm() {
    }

    static void run(Args args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode realm = json.createObjectNode();
        realm.put("realm", REALM).put("enabled", true);
        realm.put("passwordPolicy", "hashAlgorithm(pbkdf2-sha256) and hashIterations(1)");
        realm.put("otpPolicyType", "totp").put("otpPolicyAlgorithm", "HmacSHA1").put("otpPolicyDigits", 6);
        realm.put("otpPolicyPeriod", 30).put("otpPolicyLookAheadWindow", 1).put("otpPolicyCodeReusable", false);
        realm.putArray("clients").addObject().put("clientId", CLIENT).put("enabled", true).put("publicClient", true)
                .put("directAccessGrantsEnabled", true).put("standardFlowEnabled", false);
        ArrayNode users = realm.putArray("users");
        int perSlice = args.integer("per-slice", 1000);
        for (String slice : args.get("slices").split(",")) {
            try (BufferedWriter seeds = Files.newBufferedWriter(args.path("dir").resolve("keycloak-" + slice + ".seeds"),
                    StandardCharsets.UTF_8)) {
                for (int k = 0; k < perSlice; k++) {
                    String username = "kc-" + slice + "-" + k;
                    // Keycloak keys TOTP with the secret's UTF-8 bytes: ASCII, so the bytes are the key.
                    String secret = random(20);
                    String password = random(16);
                    addUser(json, users.addObject(), username, secret, password);
                    seeds.write(username + "\t" + HexFormat.of().formatHex(secret.getBytes(StandardCharsets.US_ASCII))
                            + "\t" + password + "\n");
                }
            }
        }
        json.writeValue(args.path("out").toFile(), realm);
    }

    private static void addUser(ObjectMapper json, ObjectNode user, String username, String secret, String password)
            throws Exception {
        // Email and names set, so the default user profile asks for nothing before the grant.
        user.put("username", username).put("enabled", true).put("email", username + "@" + Population.DOMAIN)
                .put("emailVerified", true).put("firstName", "Bench").put("lastName", username);
        ArrayNode credentials = user.putArray("credentials");
        credentials.addObject().put("type", "password").put("value", password).put("temporary", false);
        ObjectNode otpData = json.createObjectNode().put("subType", "totp").put("digits", 6).put("counter", 0)
                .put("period", 30).put("algorithm", "HmacSHA1");
        credentials.addObject().put("type", "otp").put("userLabel", "bench")
                .put("secretData", json.writeValueAsString(json.createObjectNode().put("value", secret)))
                .put("credentialData", json.writeValueAsString(otpData));
    }

    private static String random(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return sb.toString();
    }
}
