package dev.twofold.crypto;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A password hash made by an earlier system in one of Dovecot's schemes ({@code {SCHEME}hash}, as
 * {@code doveadm pw} writes it), kept until the passcode's first successful use. Checking one is
 * CPU work (bcrypt and Argon2id deliberately so): run {@link #matches} off the event loop, through
 * {@link Argon2Hasher#verifyLegacy}.
 */
public record LegacyPasscodeHash(Scheme scheme, String hash) {

    /** The schemes accepted, by their Dovecot names. */
    public enum Scheme {
        /** Base64 of SHA-512(password ‖ salt) ‖ salt. */
        SSHA512("SSHA512", Pattern.compile("[A-Za-z0-9+/]{88,}={0,2}")),
        /** glibc crypt(3) {@code $6$}, optionally with {@code rounds=}. */
        SHA512_CRYPT(
                "SHA512-CRYPT", Pattern.compile("\\$6\\$(rounds=\\d{1,9}\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{86}")),
        /** bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}). */
        BLF_CRYPT("BLF-CRYPT", Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}")),
        /** An Argon2id PHC string. */
        ARGON2ID(
                "ARGON2ID",
                Pattern.compile("\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+"));

        private final String dovecotName;
        private final Pattern shape;

        Scheme(String dovecotName, Pattern shape) {
            this.dovecotName = dovecotName;
            this.shape = shape;
        }

        public String dovecotName() {
            return dovecotName;
        }

        /** The scheme a stored {@code legacy_scheme} value names. */
        public static Scheme of(String dovecotName) {
            for (Scheme scheme : values()) {
                if (scheme.dovecotName.equals(dovecotName)) {
                    return scheme;
                }
            }
            throw new IllegalArgumentException("Unknown legacy passcode scheme " + dovecotName);
        }
    }

    private static final int SHA512_BYTES = 64;
    private static final Argon2 ARGON2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);

    /** Reads {@code {SCHEME}hash}; empty if the scheme is not one of {@link Scheme} or the hash is malformed. */
    public static Optional<LegacyPasscodeHash> parse(String dovecotHash) {
        for (Scheme scheme : Scheme.values()) {
            String prefix = "{" + scheme.dovecotName + "}";
            if (dovecotHash.startsWith(prefix)) {
                String hash = dovecotHash.substring(prefix.length());
                return scheme.shape.matcher(hash).matches()
                        ? Optional.of(new LegacyPasscodeHash(scheme, hash))
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether {@code secret} (as typed) is the password this hash was made of. */
    public boolean matches(String secret) {
        return switch (scheme) {
            case SSHA512 -> saltedSha512Matches(secret);
            case SHA512_CRYPT ->
                constantTimeEquals(Sha2Crypt.sha512Crypt(secret.getBytes(StandardCharsets.UTF_8), hash), hash);
            case BLF_CRYPT -> OpenBSDBCrypt.checkPassword(hash, secret.toCharArray());
            case ARGON2ID -> ARGON2.verify(hash, secret.toCharArray());
        };
    }

    private boolean saltedSha512Matches(String secret) {
        byte[] decoded = Base64.getDecoder().decode(hash);
        if (decoded.length <= SHA512_BYTES) {
            return false;
        }
        try {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            sha512.update(secret.getBytes(StandardCharsets.UTF_8));
            sha512.update(decoded, SHA512_BYTES, decoded.length - SHA512_BYTES);
            // Constant-time, so the comparison tells nothing about how much of the digest matched.
            return MessageDigest.isEqual(sha512.digest(), Arrays.copyOf(decoded, SHA512_BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is missing from the JVM", e);
        }
    }

    private static boolean constantTimeEquals(String computed, String stored) {
        return MessageDigest.isEqual(
                computed.getBytes(StandardCharsets.US_ASCII), stored.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "LegacyPasscodeHash[" + scheme.dovecotName + "]";
    }
}
