package dev.twofold.mailserver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Roundcube plugin's bearer token (deploy/roundcube/twofold/twofold_client.php), signed by PHP
 * with an RSA or a P-256 key and verified here with the public half, as Twofold's JWKS holds it:
 * ES256 in particular must carry the JOSE r||s signature, not OpenSSL's DER. Needs the php binary
 * WebmailIT installs; skipped without it.
 */
class RoundcubeTokenTest {

    private static final Path PHP = Path.of("/usr/bin/php");
    private static final Path CLIENT = Path.of("deploy/roundcube/twofold/twofold_client.php");
    private static final Path JWK_SCRIPT = Path.of("deploy/roundcube/twofold/bin/public-jwk.php");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256"})
    void thePluginsTokenVerifiesWithThePublicKey(String algorithm) throws Exception {
        assumeTrue(Files.isExecutable(PHP), "php is not installed");
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.equals("ES256") ? "EC" : "RSA");
        if (algorithm.equals("ES256")) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        KeyPair keys = generator.generateKeyPair();
        Path key = pem(
                dir.resolve("roundcube-jwt.key"),
                "PRIVATE KEY",
                keys.getPrivate().getEncoded());
        Path publicKey = pem(
                dir.resolve("roundcube-jwt.pub"), "PUBLIC KEY", keys.getPublic().getEncoded());
        // The JWK as MAIL-INTEGRATION.md makes it, from the public PEM.
        JsonWebKey jwk = JsonWebKey.Factory.newJwk(php(JWK_SCRIPT.toString(), publicKey.toString(), "roundcube"));
        assertEquals(algorithm, jwk.getAlgorithm());
        assertEquals(keys.getPublic(), jwk.getKey());

        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token(key, algorithm));
        jws.setKey(jwk.getKey());
        assertTrue(jws.verifySignature(), "signature of the " + algorithm + " token");
        assertEquals(algorithm, jws.getAlgorithmHeaderValue());
        assertEquals("roundcube", jws.getKeyIdHeaderValue());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals("alice@example.com", claims.getSubject());
        assertEquals("https://idp.example.com", claims.getIssuer());
        assertEquals(1_700_000_000L, claims.getClaimValue("auth_time", Long.class));
        assertEquals(
                120,
                claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
    }

    /** The token the plugin would send for alice, who typed her password at 1700000000. */
    private static String token(Path key, String algorithm) throws IOException, InterruptedException {
        return php(
                "-r",
                "require $argv[1];"
                        + "$client = new twofold_client(['twofold_url' => 'http://twofold.invalid',"
                        + " 'twofold_jwt_issuer' => 'https://idp.example.com', 'twofold_jwt_key_file' => $argv[2],"
                        + " 'twofold_jwt_key_id' => 'roundcube', 'twofold_jwt_algorithm' => $argv[3]], 'test', '127.0.0.1');"
                        + "$token = new ReflectionMethod($client, 'token'); $token->setAccessible(true);"
                        + "echo $token->invoke($client, 'alice@example.com', 1700000000);",
                CLIENT.toString(),
                key.toString(),
                algorithm);
    }

    /** Runs php with these arguments; returns what it printed. */
    private static String php(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PHP.toString()));
        command.addAll(List.of(arguments));
        Process php = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(php.getInputStream().readAllBytes(), UTF_8);
        assertTrue(php.waitFor(30, TimeUnit.SECONDS) && php.exitValue() == 0, "php failed: " + output);
        return output.strip();
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        return Files.writeString(
                file,
                "-----BEGIN " + type + "-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(der)
                        + "\n-----END " + type + "-----\n",
                UTF_8);
    }
}
