package dev.twofold.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRingTest {

    private static final String SHORT_KEY = Base64.getEncoder().encodeToString(new byte[16]);
    private static final String LONG_KEY = Base64.getEncoder().encodeToString(new byte[48]);
    private static final String NOT_BASE64 = "s3cr3t!s3cr3t!s3cr3t!s3cr3t!s3cr3t!s3cr3t!=";

    @Test
    void exposesTheConfiguredKeysAndTheActiveId() {
        KeyRing ring = KeyRings.ring("b", "a", "b");

        assertEquals("b", ring.activeKeyId());
        assertEquals(List.of("a", "b"), List.copyOf(ring.keyIds()));
        assertArrayEquals(
                Base64.getDecoder().decode(KeyRings.base64Key("a")),
                ring.key("a").getEncoded());
        assertEquals("AES", ring.key("a").getAlgorithm());
    }

    @Test
    void buildsFromTheConfigMapping() {
        KeyRing ring = new KeyRing(config(Optional.of(KeyRings.setting("k1", "k2")), Optional.of("k2")));

        assertEquals("k2", ring.activeKeyId());
    }

    @Test
    void toleratesSpacesAroundEntries() {
        KeyRing ring = new KeyRing(" a : " + KeyRings.base64Key("a") + " , b:" + KeyRings.base64Key("b") + " ", " a ");

        assertEquals("a", ring.activeKeyId());
        assertEquals(List.of("a", "b"), List.copyOf(ring.keyIds()));
    }

    @Test
    void aSingleKeyIsActiveWithoutNamingIt() {
        assertEquals("only", new KeyRing(KeyRings.setting("only"), null).activeKeyId());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void missingKeysFailWithAMessageNamingBothEnvironmentVariables(String keys) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new KeyRing(keys, "a"));

        assertTrue(e.getMessage().contains("TWOFOLD_ENCRYPTION_KEYS"), e.getMessage());
        assertTrue(e.getMessage().contains("TWOFOLD_ENCRYPTION_ACTIVE_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
    }

    @Test
    void missingConfigMappingValuesFailTheSameWay() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> new KeyRing(config(Optional.empty(), Optional.empty())));

        assertTrue(e.getMessage().contains("TWOFOLD_ENCRYPTION_KEYS"), e.getMessage());
        assertTrue(e.getMessage().contains("TWOFOLD_ENCRYPTION_ACTIVE_KEY"), e.getMessage());
    }

    static Stream<Arguments> invalidRings() {
        String a = KeyRings.base64Key("a");
        return Stream.of(
                Arguments.of("key is not base64", "a:" + NOT_BASE64, "a", NOT_BASE64),
                Arguments.of("key is 16 bytes", "a:" + SHORT_KEY, "a", SHORT_KEY),
                Arguments.of("key is 48 bytes", "a:" + LONG_KEY, "a", LONG_KEY),
                Arguments.of("entry without id", a, null, a),
                Arguments.of("empty id", ":" + a, null, a),
                Arguments.of("id with a comma splits the entry", "a,b:" + a, "b", a),
                Arguments.of("id with a colon", "a:b:" + a, "a", a),
                Arguments.of("id with a space", "a b:" + a, null, a),
                Arguments.of("repeated id", "a:" + a + ",a:" + KeyRings.base64Key("b"), "a", a),
                Arguments.of("trailing comma", "a:" + a + ",", "a", a),
                Arguments.of("unknown active id", KeyRings.setting("a", "b"), "c", a),
                Arguments.of("active id missing with two keys", KeyRings.setting("a", "b"), null, a),
                Arguments.of("key given as the active id", "a:" + a, a, a));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRings")
    void invalidRingsFailAtBootWithoutRevealingKeyMaterial(String why, String keys, String active, String material) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new KeyRing(keys, active));

        assertFalse(e.getMessage().contains(material), e.getMessage());
        assertFalse(e.getMessage().contains(material.substring(0, 12)), e.getMessage());
        assertTrue(e.getMessage().contains("TWOFOLD_ENCRYPTION_KEYS"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
        assertEquals(null, e.getCause(), "a cause could carry the decoder's view of the key");
    }

    @Test
    void unknownKeyIdIsRefused() {
        KeyRing ring = KeyRings.ring("a", "a");

        assertThrows(IllegalStateException.class, () -> ring.key("b"));
    }

    private static EncryptionConfig config(Optional<String> keys, Optional<String> activeKey) {
        return new EncryptionConfig() {
            @Override
            public Optional<String> keys() {
                return keys;
            }

            @Override
            public Optional<String> activeKey() {
                return activeKey;
            }
        };
    }
}
