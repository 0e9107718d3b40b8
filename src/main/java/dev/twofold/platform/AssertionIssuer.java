package dev.twofold.platform;

import dev.twofold.account.AccountId;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs the short-lived JWT that tells other services "this account just passed its second factor":
 * {@code sub} = account id, {@code amr} = how ({@code otp}, {@code recovery}, {@code device}), plus
 * {@code iss}, {@code aud}, {@code iat}, {@code exp} and a unique {@code jti} so consumers can refuse
 * replays. The key is read once at boot; a missing or unusable key stops the boot.
 */
@Startup
@ApplicationScoped
public class AssertionIssuer {

    private static final Duration MAX_LIFETIME = Duration.ofHours(1);

    private final AssertionConfig config;
    private final Clock clock;
    private final SignatureAlgorithm algorithm;
    private final PrivateKey key;

    AssertionIssuer(
            AssertionConfig config,
            Clock clock,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> keyLocation) {
        this.config = config;
        this.clock = clock;
        this.algorithm = algorithm(config.algorithm());
        if (config.lifetime().isNegative() || config.lifetime().isZero() || config.lifetime().compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalStateException("twofold.assertion.lifetime must be between 1 second and 1 hour");
        }
        this.key = signingKey(keyLocation.orElseThrow(() -> new IllegalStateException(
                "smallrye.jwt.sign.key.location must point to the assertion signing key (PEM or JWK set)")), algorithm);
    }

    /** A fresh assertion that {@code account} passed its second factor by {@code amr} just now. */
    public String issue(AccountId account, String amr) {
        Instant now = clock.instant();
        return Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(account.value())
                .claim("amr", List.of(amr))
                .issuedAt(now)
                .expiresAt(now.plus(config.lifetime()))
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .algorithm(algorithm)
                .sign(key);
    }

    private static SignatureAlgorithm algorithm(String name) {
        SignatureAlgorithm algorithm;
        try {
            algorithm = SignatureAlgorithm.fromAlgorithm(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("twofold.assertion.algorithm " + name + " is not a JWS algorithm", e);
        }
        // A shared secret would let every consumer that verifies assertions also forge them.
        if (algorithm.getAlgorithm().startsWith("HS")) {
            throw new IllegalStateException("twofold.assertion.algorithm must be asymmetric, not " + name);
        }
        return algorithm;
    }

    private static PrivateKey signingKey(String location, SignatureAlgorithm algorithm) {
        try {
            if (KeyUtils.readSigningKey(location, null, algorithm) instanceof PrivateKey privateKey) {
                return privateKey;
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the assertion signing key at " + location, e);
        }
        throw new IllegalStateException("The assertion signing key at " + location + " is not a private key for "
                + algorithm.getAlgorithm());
    }
}
