package dev.twofold.crypto;

import dev.twofold.account.AccountId;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Builds {@link AssertionIssuer}s outside CDI, for tests in any package (e.g. checks of the documented key commands). */
public final class AssertionIssuers {

    public static final Instant NOW = Instant.parse("2026-11-23T10:02:19Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Registered as {@code quarkus.security.security-providers=BC} registers it at boot, for tests without the application. */
    static final Provider BOUNCY_CASTLE = registeredBouncyCastle();

    /** The defaults of {@link AssertionConfig}, with or without an explicit algorithm. */
    record Settings(Duration lifetime, String issuer, String audience, Optional<String> algorithm)
            implements AssertionConfig {

        static Settings defaults() {
            return new Settings(Duration.ofMinutes(5), "twofold", "webmail", Optional.empty());
        }

        Settings withAlgorithm(String name) {
            return new Settings(lifetime, issuer, audience, Optional.of(name));
        }
    }

    private AssertionIssuers() {}

    private static Provider registeredBouncyCastle() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        return Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
    }

    /**
     * An assertion for {@code account} signed with the key at {@code keyLocation} (a path or classpath
     * resource), as the service would at {@link #NOW} with {@code algorithm} set or not; throws the
     * boot error the service would stop with.
     */
    public static String issue(String keyLocation, Optional<String> algorithm, String account) {
        Settings settings = algorithm.map(Settings.defaults()::withAlgorithm).orElseGet(Settings::defaults);
        return new AssertionIssuer(settings, CLOCK, Optional.of(keyLocation)).issue(AccountId.of(account), "otp");
    }
}
