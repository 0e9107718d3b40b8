package dev.twofold.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/** Checks Twofold's assertion the way a relying service would: with the published public key only. */
public final class AssertionJwt {

    private static final PublicKey KEY = load();

    private AssertionJwt() {}

    /** Verifies signature, issuer, audience and the claims of an assertion issued for a verification at {@code verifiedAt}. */
    public static JwtClaims check(String assertion, String account, String amr, Instant verifiedAt) {
        try {
            JwtClaims claims = new JwtConsumerBuilder()
                    .setVerificationKey(KEY)
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "ES256")
                    .setExpectedIssuer("twofold")
                    .setExpectedAudience("webmail")
                    .setRequireSubject()
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setRequireJwtId()
                    .setEvaluationTime(NumericDate.fromSeconds(verifiedAt.getEpochSecond()))
                    .build()
                    .processToClaims(assertion);
            assertEquals(account, claims.getSubject());
            assertEquals(List.of(amr), claims.getStringListClaimValue("amr"));
            // Issued right after the verification: the same second under a fixed clock, at most a moment later in real
            // time.
            long issuedAt = claims.getIssuedAt().getValue();
            assertTrue(
                    issuedAt >= verifiedAt.getEpochSecond() && issuedAt <= verifiedAt.getEpochSecond() + 2,
                    "iat " + issuedAt + " for a verification at " + verifiedAt);
            assertEquals(
                    issuedAt + Duration.ofMinutes(5).toSeconds(),
                    claims.getExpirationTime().getValue());
            assertFalse(claims.getJwtId().isBlank());
            return claims;
        } catch (Exception e) {
            throw new AssertionError("The assertion does not verify: " + e.getMessage(), e);
        }
    }

    private static PublicKey load() {
        try {
            return KeyUtils.readPublicKey("keys/assertion-public.pem", SignatureAlgorithm.ES256);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read keys/assertion-public.pem", e);
        }
    }
}
