package dev.twofold.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.twofold.account.AccountId;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

class AssertionIssuerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:02:19Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Optional<String> TEST_KEY = Optional.of("keys/assertion-private.pem");

    record Settings(Duration lifetime, String issuer, String audience, String algorithm) implements AssertionConfig {

        static Settings defaults() {
            return new Settings(Duration.ofMinutes(5), "twofold", "webmail", "ES256");
        }
    }

    @Test
    void issuesAnEs256AssertionWithTheDocumentedClaims() throws Exception {
        String assertion = new AssertionIssuer(Settings.defaults(), CLOCK, TEST_KEY).issue(AccountId.of("Alice@Example.com"), "otp");

        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKey(KeyUtils.readPublicKey("keys/assertion-public.pem", SignatureAlgorithm.ES256))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setExpectedIssuer("twofold")
                .setExpectedAudience("webmail")
                .setEvaluationTime(NumericDate.fromSeconds(NOW.getEpochSecond()))
                .build()
                .processToClaims(assertion);
        assertEquals("alice@example.com", claims.getSubject());
        assertEquals(List.of("otp"), claims.getStringListClaimValue("amr"));
        assertEquals(NOW.getEpochSecond(), claims.getIssuedAt().getValue());
        assertEquals(NOW.plus(Duration.ofMinutes(5)).getEpochSecond(), claims.getExpirationTime().getValue());
    }

    @Test
    void everyAssertionHasItsOwnId() throws Exception {
        AssertionIssuer issuer = new AssertionIssuer(Settings.defaults(), CLOCK, TEST_KEY);
        AccountId account = AccountId.of("alice@example.com");
        assertEquals(2, List.of(jti(issuer.issue(account, "device")), jti(issuer.issue(account, "device")))
                .stream().distinct().count());
    }

    @Test
    void symmetricAlgorithmsAreRefusedAtBoot() {
        Settings hmac = new Settings(Duration.ofMinutes(5), "twofold", "webmail", "HS256");
        assertThrows(IllegalStateException.class, () -> new AssertionIssuer(hmac, CLOCK, TEST_KEY));
    }

    @Test
    void missingKeyOrExcessiveLifetimeStopsTheBoot() {
        assertThrows(IllegalStateException.class, () -> new AssertionIssuer(Settings.defaults(), CLOCK, Optional.empty()));
        assertThrows(IllegalStateException.class,
                () -> new AssertionIssuer(Settings.defaults(), CLOCK, Optional.of("keys/no-such-key.pem")));
        Settings day = new Settings(Duration.ofDays(1), "twofold", "webmail", "ES256");
        assertThrows(IllegalStateException.class, () -> new AssertionIssuer(day, CLOCK, TEST_KEY));
    }

    private static String jti(String assertion) throws Exception {
        return new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification()
                .build().processToClaims(assertion).getJwtId();
    }
}
