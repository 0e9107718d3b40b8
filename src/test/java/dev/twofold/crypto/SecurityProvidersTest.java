package dev.twofold.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import javax.crypto.Cipher;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle is registered by the configuration (quarkus.security.security-providers), last: only
 * the assertion issuer, which names it, signs with it; every other lookup (token verification, the
 * sealing of secrets) still gets the JDK's implementations.
 */
@QuarkusTest
class SecurityProvidersTest {

    @Test
    void bouncyCastleComesAfterTheJdksProviders() throws GeneralSecurityException {
        Provider[] providers = Security.getProviders();
        assertEquals(BouncyCastleProvider.PROVIDER_NAME, providers[providers.length - 1].getName());
        for (Provider found : new Provider[] {
            Signature.getInstance("SHA256withRSA").getProvider(),
            Signature.getInstance("SHA256withECDSA").getProvider(),
            Signature.getInstance("Ed25519").getProvider(),
            KeyFactory.getInstance("EC").getProvider(),
            Cipher.getInstance("AES/GCM/NoPadding").getProvider(),
        }) {
            assertNotEquals(BouncyCastleProvider.PROVIDER_NAME, found.getName());
        }
    }
}
