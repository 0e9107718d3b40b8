package dev.twofold.crypto;

import static dev.twofold.crypto.AssertionIssuers.CLOCK;
import static dev.twofold.crypto.AssertionIssuers.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.account.AccountId;
import dev.twofold.crypto.AssertionIssuers.Settings;
import dev.twofold.testing.ConfigProblems;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AssertionIssuerTest {

    private static final Optional<String> TEST_KEY = Optional.of("keys/assertion-private.pem");

    @TempDir
    Path keys;

    @Test
    void issuesAnEs256AssertionWithTheDocumentedClaims() throws Exception {
        String assertion = new AssertionIssuer(Settings.defaults(), CLOCK, TEST_KEY)
                .issue(AccountId.of("Alice@Example.com"), "otp");

        JwtClaims claims = verified(
                assertion,
                KeyUtils.readPublicKey("keys/assertion-public.pem", SignatureAlgorithm.ES256),
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        assertEquals("alice@example.com", claims.getSubject());
        assertEquals(List.of("otp"), claims.getStringListClaimValue("amr"));
        assertEquals(NOW.getEpochSecond(), claims.getIssuedAt().getValue());
        assertEquals(
                NOW.plus(Duration.ofMinutes(5)).getEpochSecond(),
                claims.getExpirationTime().getValue());
    }

    @Test
    void anRsaKeySignsRs256WithoutConfiguration() throws Exception {
        KeyPair rsa = generate("RSA", 2048);

        String assertion = AssertionIssuers.issue(pem(rsa), Optional.empty(), "alice@example.com");

        assertEquals("RS256", algorithmOf(assertion));
        assertVerifies(assertion, rsa.getPublic(), "RS256");
    }

    @Test
    void anEcP256KeySignsEs256WithoutConfiguration() throws Exception {
        KeyPair ec = generateEc("secp256r1");

        String assertion = AssertionIssuers.issue(pem(ec), Optional.empty(), "alice@example.com");

        assertEquals("ES256", algorithmOf(assertion));
        assertVerifies(assertion, ec.getPublic(), "ES256");
    }

    @Test
    void anEd25519KeySignsEdDsaWhenConfigured() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        String assertion = AssertionIssuers.issue(pem(ed), Optional.of("EdDSA"), "alice@example.com");

        assertEquals("EdDSA", algorithmOf(assertion));
        assertVerifies(assertion, ed.getPublic(), "EdDSA");
    }

    @Test
    void otherCurvesNeedAnExplicitAlgorithm() throws Exception {
        String p384 = pem(generateEc("secp384r1"));

        IllegalStateException refused = assertThrows(
                IllegalStateException.class, () -> AssertionIssuers.issue(p384, Optional.empty(), "alice@example.com"));
        assertTrue(
                refused.getMessage().contains("curve other than P-256")
                        && refused.getMessage().contains("twofold.assertion.algorithm"),
                refused.getMessage());

        assertEquals("ES384", algorithmOf(AssertionIssuers.issue(p384, Optional.of("ES384"), "alice@example.com")));
    }

    @Test
    void aConfiguredAlgorithmThatDoesNotFitTheKeyStopsTheBoot() throws Exception {
        String rsa = pem(generate("RSA", 2048));
        String ec = pem(generateEc("secp256r1"));

        IllegalStateException ecForRsa = assertThrows(
                IllegalStateException.class,
                () -> AssertionIssuers.issue(rsa, Optional.of("ES256"), "alice@example.com"));
        assertTrue(
                ecForRsa.getMessage().contains("is not an EC private key (PEM PKCS#8 or JWK set) for ES256"),
                ecForRsa.getMessage());
        IllegalStateException wrongCurve = assertThrows(
                IllegalStateException.class,
                () -> AssertionIssuers.issue(ec, Optional.of("ES512"), "alice@example.com"));
        assertTrue(wrongCurve.getMessage().contains("cannot sign ES512"), wrongCurve.getMessage());
        assertEquals("PS256", algorithmOf(AssertionIssuers.issue(rsa, Optional.of("PS256"), "alice@example.com")));
    }

    @Test
    void shortRsaKeysAndNonKeysAreRefusedAtBoot() throws Exception {
        String weak = pem(generate("RSA", 1024));
        IllegalStateException refused = assertThrows(
                IllegalStateException.class, () -> AssertionIssuers.issue(weak, Optional.empty(), "alice@example.com"));
        assertTrue(refused.getMessage().contains("cannot sign RS256"), refused.getMessage());

        Path publicOnly = keys.resolve("public.pem");
        Files.writeString(publicOnly, Files.readString(Path.of("src/test/resources/keys/assertion-public.pem")));
        IllegalStateException notPrivate = assertThrows(
                IllegalStateException.class,
                () -> AssertionIssuers.issue(publicOnly.toString(), Optional.empty(), "alice@example.com"));
        assertTrue(notPrivate.getMessage().contains("neither an RSA nor an EC private key"), notPrivate.getMessage());
    }

    @Test
    void everyAssertionHasItsOwnId() throws Exception {
        AssertionIssuer issuer = new AssertionIssuer(Settings.defaults(), CLOCK, TEST_KEY);
        AccountId account = AccountId.of("alice@example.com");
        assertEquals(
                2,
                List.of(jti(issuer.issue(account, "device")), jti(issuer.issue(account, "device"))).stream()
                        .distinct()
                        .count());
    }

    @Test
    void symmetricAlgorithmsAreRefusedAtBoot() {
        assertThrows(
                IllegalStateException.class,
                () -> new AssertionIssuer(Settings.defaults().withAlgorithm("HS256"), CLOCK, TEST_KEY));
    }

    @Test
    void missingKeyStopsTheBoot() {
        assertThrows(
                IllegalStateException.class, () -> new AssertionIssuer(Settings.defaults(), CLOCK, Optional.empty()));
        IllegalStateException missing = assertThrows(
                IllegalStateException.class,
                () -> new AssertionIssuer(Settings.defaults(), CLOCK, Optional.of("keys/no-such-key.pem")));
        assertTrue(missing.getMessage().contains("keys/no-such-key.pem"), missing.getMessage());
    }

    /** Registering a provider is global state: the configuration's business, not the issuer's. */
    @Test
    void aCurveKeyWithoutBouncyCastleRegisteredStopsTheBootAndRegistersNothing() throws Throwable {
        String ec = pem(generateEc("secp256r1"));
        withoutBouncyCastle(() -> {
            IllegalStateException refused = assertThrows(
                    IllegalStateException.class,
                    () -> AssertionIssuers.issue(ec, Optional.empty(), "alice@example.com"));
            assertTrue(refused.getMessage().contains("quarkus.security.security-providers=BC"), refused.getMessage());
            assertNull(Security.getProvider(AssertionIssuers.BOUNCY_CASTLE.getName()));
        });
    }

    /**
     * EC and EdDSA assertions are signed by Bouncy Castle, at half (P-256) to a twentieth (Ed25519) of
     * the JDK's cost; RSA ones by the JDK. Once the issuers are built, only the first stop signing when
     * Bouncy Castle goes away.
     */
    @Test
    void curveKeysSignWithBouncyCastleAndRsaKeysWithTheJdk() throws Throwable {
        AssertionIssuer ec = issuer(pem(generateEc("secp256r1")), Optional.empty());
        AssertionIssuer ed =
                issuer(pem(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()), Optional.of("EdDSA"));
        AssertionIssuer rsa = issuer(pem(generate("RSA", 2048)), Optional.empty());
        AccountId alice = AccountId.of("alice@example.com");
        withoutBouncyCastle(() -> {
            assertThrows(IllegalStateException.class, () -> ec.issue(alice, "otp"));
            assertThrows(IllegalStateException.class, () -> ed.issue(alice, "otp"));
            rsa.issue(alice, "otp");
        });
    }

    private static AssertionIssuer issuer(String keyLocation, Optional<String> algorithm) {
        Settings settings = algorithm.map(Settings.defaults()::withAlgorithm).orElseGet(Settings::defaults);
        return new AssertionIssuer(settings, CLOCK, Optional.of(keyLocation));
    }

    /** Runs {@code test} as in an application configured without Bouncy Castle, then registers it again. */
    private static void withoutBouncyCastle(Executable test) throws Throwable {
        Security.removeProvider(AssertionIssuers.BOUNCY_CASTLE.getName());
        try {
            test.execute();
        } finally {
            Security.addProvider(AssertionIssuers.BOUNCY_CASTLE);
        }
    }

    private static String jti(String assertion) throws Exception {
        return new JwtConsumerBuilder()
                .setSkipAllValidators()
                .setDisableRequireSignature()
                .setSkipSignatureVerification()
                .build()
                .processToClaims(assertion)
                .getJwtId();
    }

    private static String algorithmOf(String assertion) throws Exception {
        return JsonWebSignature.fromCompactSerialization(assertion).getAlgorithmHeaderValue();
    }

    private static void assertVerifies(String assertion, PublicKey key, String algorithm) throws Exception {
        assertEquals("alice@example.com", verified(assertion, key, algorithm).getSubject());
    }

    private static JwtClaims verified(String assertion, PublicKey key, String algorithm) throws Exception {
        return new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithm)
                .setExpectedIssuer("twofold")
                .setExpectedAudience("webmail")
                .setEvaluationTime(NumericDate.fromSeconds(NOW.getEpochSecond()))
                .build()
                .processToClaims(assertion);
    }

    private static KeyPair generate(String algorithm, int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static KeyPair generateEc(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    /** Writes the private half as PKCS#8 PEM (what `openssl genpkey` writes); its path. */
    private String pem(KeyPair pair) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded());
        Path file = Files.createTempFile(keys, "key", ".pem");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
        return file.toString();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "twofold.assertion.lifetime, 0S",
        "twofold.assertion.lifetime, PT1H0.001S",
    })
    void assertionLifetimeOutsideAnHourStopsTheBoot(String property, String value) {
        ConfigProblems.assertRefusedByName(AssertionConfig.class, property, value);
    }
}
