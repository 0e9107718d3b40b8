package dev.twofold.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Test key rings whose keys are derived from their ids, so ring "a" holds the same key in every test. */
final class KeyRings {

    private KeyRings() {}

    /** A ring of the given ids, sealing with {@code active}. */
    static KeyRing ring(String active, String... ids) {
        return new KeyRing(setting(ids), active);
    }

    /** The {@code twofold.encryption.keys} value for these ids. */
    static String setting(String... ids) {
        return Stream.of(ids).map(id -> id + ":" + base64Key(id)).collect(Collectors.joining(","));
    }

    /** The test key of {@code id}: SHA-256 of the id, in base64 as an operator would configure it. */
    static String base64Key(String id) {
        try {
            byte[] key =
                    MessageDigest.getInstance("SHA-256").digest(("test key " + id).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(key);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
