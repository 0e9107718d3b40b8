package dev.twofold.crypto;

import dev.twofold.account.AccountId;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Security;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwx.HeaderParameterNames;
import org.jose4j.lang.JoseException;

/**
 * Signs the short-lived JWT that tells other services "this account just passed its second factor":
 * {@code sub} = account id, {@code amr} = how ({@code otp}, {@code recovery}, {@code device}), plus
 * {@code iss}, {@code aud}, {@code iat}, {@code exp} and a unique {@code jti} so consumers can refuse
 * replays. The key is read once at boot, and its JWS algorithm follows from it (RSA: RS256, EC P-256:
 * ES256) unless {@code twofold.assertion.algorithm} names one; a missing or unusable key, or one that
 * cannot sign with that algorithm, stops the boot.
 */
@Startup
@ApplicationScoped
public class AssertionIssuer {

    private static final int P256_FIELD_BITS = 256;
    private static final String BOUNCY_CASTLE = BouncyCastleProvider.PROVIDER_NAME;

    private final AssertionConfig config;
    private final Clock clock;
    private final SignatureAlgorithm algorithm;
    private final PrivateKey key;
    private final ProviderContext provider;

    AssertionIssuer(
            AssertionConfig config,
            Clock clock,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> keyLocation) {
        this.config = config;
        this.clock = clock;
        String location = keyLocation.orElseThrow(() -> new IllegalStateException(
                "smallrye.jwt.sign.key.location must point to the assertion signing key (PEM or JWK set)"));
        Optional<SignatureAlgorithm> configured = config.algorithm().map(AssertionIssuer::algorithm);
        requireReadable(location);
        PrivateKey read = configured.map(chosen -> signingKey(location, chosen)).orElseGet(() -> rsaOrEcKey(location));
        this.algorithm = configured.orElseGet(() -> inferredAlgorithm(read, location));
        boolean curve = !(read instanceof RSAPrivateKey);
        this.key = curve ? bouncyCastleKey(read, location) : read;
        this.provider = signatureProvider(curve ? BOUNCY_CASTLE : null);
        requireSigns(key, algorithm, provider, location);
    }

    /**
     * A fresh assertion that {@code account} passed its second factor by {@code amr} just now. Built
     * with jose4j directly: SmallRye's builder looks its defaults up in the configuration on every
     * call, which added a quarter to the cost of the ES256 signature on the sign-in path.
     */
    public String issue(AccountId account, String amr) {
        Instant now = clock.instant();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(config.audience());
        claims.setSubject(account.value());
        claims.setStringListClaim("amr", amr);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(
                NumericDate.fromSeconds(now.plus(config.lifetime()).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        try {
            return signed(claims, algorithm, key, provider);
        } catch (JoseException e) {
            // The key signed with this algorithm at boot (requireSigns): only a broken provider lands here.
            throw new IllegalStateException("The assertion could not be signed", e);
        }
    }

    private static String signed(
            JwtClaims claims, SignatureAlgorithm algorithm, PrivateKey key, ProviderContext provider)
            throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setProviderContext(provider);
        jws.setHeader(HeaderParameterNames.TYPE, "JWT");
        jws.setAlgorithmHeaderValue(algorithm.getAlgorithm());
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        return jws.getCompactSerialization();
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

    private static void requireReadable(String location) {
        String content;
        try {
            content = KeyUtils.readKeyContent(location);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the assertion signing key at " + location, e);
        }
        if (content == null || content.isBlank()) {
            throw new IllegalStateException("The assertion signing key at " + location + " is missing or empty");
        }
    }

    /** Without a configured algorithm the key decides: read it as RSA, else as EC. */
    private static PrivateKey rsaOrEcKey(String location) {
        try {
            return signingKey(location, SignatureAlgorithm.RS256);
        } catch (IllegalStateException notRsa) {
            try {
                return signingKey(location, SignatureAlgorithm.ES256);
            } catch (IllegalStateException notEc) {
                throw new IllegalStateException(
                        "The assertion signing key at " + location + " is neither an RSA nor"
                                + " an EC private key (PEM PKCS#8 or JWK set); make one with `openssl genpkey -algorithm EC"
                                + " -pkeyopt ec_paramgen_curve:P-256`, or set twofold.assertion.algorithm for another kind",
                        notEc);
            }
        }
    }

    private static SignatureAlgorithm inferredAlgorithm(PrivateKey key, String location) {
        if (key instanceof RSAPrivateKey) {
            return SignatureAlgorithm.RS256;
        }
        if (key instanceof ECPrivateKey ec
                && ec.getParams().getCurve().getField().getFieldSize() == P256_FIELD_BITS) {
            return SignatureAlgorithm.ES256;
        }
        throw new IllegalStateException("The assertion signing key at " + location + " is an EC key on a curve other"
                + " than P-256: use an RSA or EC P-256 key, or set twofold.assertion.algorithm (e.g. ES384 for P-384,"
                + " ES512 for P-521)");
    }

    private static PrivateKey signingKey(String location, SignatureAlgorithm algorithm) {
        String refusal = "The assertion signing key at " + location + " is not an " + family(algorithm)
                + " private key (PEM PKCS#8 or JWK set) for " + algorithm.getAlgorithm();
        try {
            if (KeyUtils.readSigningKey(location, null, algorithm) instanceof PrivateKey privateKey) {
                return privateKey;
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(refusal, e);
        }
        throw new IllegalStateException(refusal);
    }

    /**
     * The key as Bouncy Castle's own key object: its ECDSA and EdDSA signatures cost about half (P-256)
     * and a twentieth (Ed25519) of the JDK's, and a P-256 signature was a quarter of a TOTP sign-in's
     * CPU (bench/README.md). RSA keys stay with the JDK, which signs them no slower. Quarkus registers
     * the provider at boot ({@code quarkus.security.security-providers=BC}), after the JDK's, so every
     * lookup that names no provider still finds the JDK's first.
     */
    private static PrivateKey bouncyCastleKey(PrivateKey key, String location) {
        if (Security.getProvider(BOUNCY_CASTLE) == null) {
            throw new IllegalStateException("The assertion signing key at " + location + " (" + key.getAlgorithm()
                    + ") is signed with the Bouncy Castle provider, which is not registered: set"
                    + " quarkus.security.security-providers=BC");
        }
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), BOUNCY_CASTLE)
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "The assertion signing key at " + location + " (" + key.getAlgorithm()
                            + ") is not usable by the Bouncy Castle provider",
                    e);
        }
    }

    /** jose4j's provider context naming {@code name} for signatures, or the JDK's default providers for null. */
    private static ProviderContext signatureProvider(String name) {
        ProviderContext context = new ProviderContext();
        context.getSuppliedKeyProviderContext().setSignatureProvider(name);
        return context;
    }

    /** Signs once at boot, so a key that does not fit the algorithm (curve, RSA size) stops the boot, not a sign-in. */
    private static void requireSigns(
            PrivateKey key, SignatureAlgorithm algorithm, ProviderContext provider, String location) {
        try {
            signed(new JwtClaims(), algorithm, key, provider);
        } catch (JoseException | RuntimeException e) {
            throw new IllegalStateException(
                    "The assertion signing key at " + location + " (" + key.getAlgorithm() + ") cannot sign "
                            + algorithm.getAlgorithm() + ": " + e.getMessage(),
                    e);
        }
    }

    private static String family(SignatureAlgorithm algorithm) {
        String name = algorithm.getAlgorithm();
        return name.startsWith("ES") ? "EC" : name.equals("EdDSA") ? "EdDSA" : "RSA";
    }
}
