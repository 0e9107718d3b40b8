package dev.twofold.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Mints bearer tokens the way the mail system's IdP would, signed with the test IdP key whose public
 * half the test profile trusts; plus the broken kinds a hostile caller sends.
 */
public final class Tokens {

    public static final String ISSUER = "https://idp.twofold.test";
    public static final String ADMIN_GROUP = "twofold-admin";
    public static final String MAIL_SERVER_GROUP = "twofold-mail-server";

    private static final PrivateKey IDP_KEY = load("keys/idp-private.pem");
    private static final PrivateKey FOREIGN_KEY = load("keys/foreign-idp-private.pem");

    private Tokens() {}

    /** An account owner who typed the password just now (by the service's clock in this test). */
    public static String owner(String accountId) {
        return ownerSignedInAt(accountId, TestClock.serviceNow());
    }

    /** An account owner whose last password sign-in was at {@code authTime}. */
    public static String ownerSignedInAt(String accountId, Instant authTime) {
        return base(accountId).claim("auth_time", authTime.getEpochSecond()).sign(IDP_KEY);
    }

    /** An owner token without {@code auth_time}. */
    public static String ownerWithoutAuthTime(String accountId) {
        return base(accountId).sign(IDP_KEY);
    }

    public static String admin() {
        return base("helpdesk-tool").groups(Set.of(ADMIN_GROUP)).sign(IDP_KEY);
    }

    /** A helpdesk whose token reaches only the accounts and policies of {@code domains} ({@code twofold_domains}). */
    public static String adminOf(String... domains) {
        return base("helpdesk-of-" + String.join("+", domains))
                .groups(Set.of(ADMIN_GROUP))
                .claim("twofold_domains", List.of(domains))
                .sign(IDP_KEY);
    }

    public static String mailServer() {
        return base("imap-01.mail.test").groups(Set.of(MAIL_SERVER_GROUP)).sign(IDP_KEY);
    }

    /** A mail server's token that expires {@code lifetime} from now. */
    public static String mailServerExpiringIn(Duration lifetime) {
        return Jwt.issuer(ISSUER)
                .subject("imap-01.mail.test")
                .groups(Set.of(MAIL_SERVER_GROUP))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plus(lifetime))
                .sign(IDP_KEY);
    }

    public static String expired(String accountId) {
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(ISSUER)
                .subject(accountId)
                .issuedAt(issued)
                .expiresAt(issued.plus(Duration.ofMinutes(5)))
                .sign(IDP_KEY);
    }

    public static String wrongIssuer(String accountId) {
        return Jwt.issuer("https://evil.example")
                .subject(accountId)
                .claim("auth_time", Instant.now().getEpochSecond())
                .sign(IDP_KEY);
    }

    /** Well-formed and unexpired, but signed by a key the service does not trust. */
    public static String foreignKey(String accountId) {
        return base(accountId)
                .claim("auth_time", Instant.now().getEpochSecond())
                .sign(FOREIGN_KEY);
    }

    /** A valid token whose payload was altered after signing (sub swapped). */
    public static String tampered(String accountId, String otherAccountId) {
        String[] parts = owner(accountId).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(accountId, otherAccountId);
        return parts[0] + "." + base64Url(payload) + "." + parts[2];
    }

    /** {@code alg: none}, which the builder refuses to make, so it is written by hand. */
    public static String unsigned(String accountId) {
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        long now = Instant.now().getEpochSecond();
        String payload = base64Url("{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + accountId + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 300) + ",\"auth_time\":" + now + "}");
        return header + "." + payload + ".";
    }

    /** HS256 with the IdP's public key as the HMAC secret: the classic algorithm-confusion attack. */
    public static String hmacSigned(String accountId) {
        return base(accountId).signWithSecret("a-shared-secret-that-is-at-least-256-bits-long!!");
    }

    private static JwtClaimsBuilder base(String subject) {
        return Jwt.issuer(ISSUER).subject(subject).issuedAt(Instant.now()).expiresIn(Duration.ofMinutes(15));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static PrivateKey load(String resource) {
        try {
            return KeyUtils.readPrivateKey(resource);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read test key " + resource, e);
        }
    }
}
