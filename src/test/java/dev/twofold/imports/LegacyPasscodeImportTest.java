package dev.twofold.imports;

import static dev.twofold.imports.ImportRequests.assertStatus;
import static dev.twofold.imports.ImportRequests.importFile;
import static dev.twofold.imports.ImportRequests.line;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.SecretGenerator;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Passcodes imported as hashes {@code doveadm pw} made: accepted at mail-auth with the right secret
 * only, then stored as Argon2id with a lookup hash.
 */
@QuarkusTest
class LegacyPasscodeImportTest {

    @Inject
    SecretGenerator generator;

    @ParameterizedTest
    @ValueSource(strings = {"SSHA512", "SHA512-CRYPT", "BLF-CRYPT", "ARGON2ID"})
    void legacyHashIsAcceptedOnceThenStoredAsArgon2id(String scheme) throws Exception {
        String account = Accounts.fresh();
        String passcode = generator.appPasscode();
        String hash = doveadm(scheme, passcode);
        assertTrue(hash.startsWith("{" + scheme + "}"), hash);
        assertStatus(
                importFile(
                                line(Map.of(
                                        "accountId",
                                        account,
                                        "appPasscodes",
                                        List.of(Map.of("name", "Old phone", "hash", hash)))),
                                false)
                        .get(0),
                1,
                "imported");

        ImportTest.mailLogin(account, generator.appPasscode(), "imap").body("decision", equalTo("use-password"));
        assertEquals(scheme, storedRow(account)[0]);

        ImportTest.mailLogin(account, passcode, "imap")
                .body("decision", equalTo("accept"))
                .body("credential.name", equalTo("Old phone"));
        Object[] converted = storedRow(account);
        assertNull(converted[0]);
        assertTrue(((String) converted[1]).startsWith("$argon2id$"), (String) converted[1]);
        assertNotNull(converted[2]);
        ImportTest.mailLogin(account, passcode, "imap").body("decision", equalTo("accept"));
    }

    private static Object[] storedRow(String account) {
        return Jdbc.query(
                        "select legacy_scheme, passcode_hash, lookup_hash from app_passcode where account_id = ?",
                        account)
                .get(0);
    }

    private static String doveadm(String scheme, String secret) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("doveadm", "pw", "-s", scheme, "-p", secret)
                .redirectErrorStream(true)
                .start();
        String hash = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, process.waitFor(), hash);
        return hash;
    }
}
