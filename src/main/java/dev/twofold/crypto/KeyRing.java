package dev.twofold.crypto;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key ring from {@code twofold.encryption.*}, checked at boot so a missing or broken
 * ring stops the service before it seals anything. Every other key Twofold needs is derived from
 * these. Error messages name ids and positions, never key material.
 */
@ApplicationScoped
@Startup
public class KeyRing {

    static final int KEY_BYTES = 32;

    // At most 32 characters, so a 32-byte key in base64 (43+ characters) can never pass for an id
    // and be echoed in a message.
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final String HOW_TO_FIX = "Set TWOFOLD_ENCRYPTION_KEYS to comma-separated id:key entries, each key"
            + " 32 random bytes in base64 (make one with `openssl rand -base64 32`), e.g."
            + " TWOFOLD_ENCRYPTION_KEYS=k1:<key>, and TWOFOLD_ENCRYPTION_ACTIVE_KEY to the id that seals new"
            + " secrets (e.g. k1). Ids are 1-32 letters, digits, '.', '_' or '-'.";

    private final Map<String, SecretKey> keys;
    private final String activeKeyId;

    @Inject
    public KeyRing(EncryptionConfig config) {
        this(config.keys().orElse(null), config.activeKey().orElse(null));
    }

    /**
     * Builds a ring from the raw settings, e.g. {@code new KeyRing("a:<base64>,b:<base64>", "b")}.
     *
     * @param keys comma-separated {@code id:base64} entries
     * @param activeKeyId the id sealing new secrets; {@code null} or blank is allowed only for a one-key ring
     * @throws IllegalStateException if the settings are missing or invalid
     */
    public KeyRing(String keys, String activeKeyId) {
        this.keys = Collections.unmodifiableMap(parse(keys));
        this.activeKeyId = chooseActive(this.keys, activeKeyId);
    }

    /** The id of the key that seals new secrets. */
    public String activeKeyId() {
        return activeKeyId;
    }

    /**
     * The AES key with this id.
     *
     * @throws IllegalStateException if the ring has no such key (e.g. it was removed before every
     *     secret sealed with it was re-sealed)
     */
    public SecretKey key(String id) {
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("The key ring has no key with id '" + id + "'");
        }
        return key;
    }

    /** All key ids, in configuration order. */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    private static Map<String, SecretKey> parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid("No encryption keys are configured.");
        }
        Map<String, SecretKey> parsed = new LinkedHashMap<>();
        String[] entries = raw.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            // Positions, not contents, identify a bad entry: the entry is key material.
            String where = "Entry " + (i + 1) + " of TWOFOLD_ENCRYPTION_KEYS";
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw invalid(where + " is not of the form id:base64key.");
            }
            String id = entry.substring(0, colon).strip();
            if (!KEY_ID.matcher(id).matches()) {
                throw invalid(where + " has an empty or invalid key id.");
            }
            if (parsed.containsKey(id)) {
                throw invalid("Key id '" + id + "' appears more than once in TWOFOLD_ENCRYPTION_KEYS.");
            }
            parsed.put(id, decodeKey(id, entry.substring(colon + 1).strip()));
        }
        return parsed;
    }

    private static SecretKey decodeKey(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            // The decoder's own message quotes the offending character, so it is not passed on.
            throw invalid("Key '" + id + "' is not valid base64.");
        }
        try {
            if (bytes.length != KEY_BYTES) {
                throw invalid("Key '" + id + "' is " + bytes.length + " bytes long; AES-256 needs exactly " + KEY_BYTES
                        + ".");
            }
            return new SecretKeySpec(bytes, "AES");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static String chooseActive(Map<String, SecretKey> keys, String requested) {
        if (requested == null || requested.isBlank()) {
            if (keys.size() == 1) {
                return keys.keySet().iterator().next();
            }
            throw invalid("TWOFOLD_ENCRYPTION_ACTIVE_KEY is not set and the key ring holds " + keys.size() + " keys.");
        }
        String id = requested.strip();
        if (!keys.containsKey(id)) {
            String shown = KEY_ID.matcher(id).matches() ? "'" + id + "'" : "(an invalid id)";
            throw invalid("TWOFOLD_ENCRYPTION_ACTIVE_KEY " + shown + " is not an id in TWOFOLD_ENCRYPTION_KEYS"
                    + " (ids: " + String.join(", ", keys.keySet()) + ").");
        }
        return id;
    }

    private static IllegalStateException invalid(String problem) {
        return new IllegalStateException(problem + " " + HOW_TO_FIX);
    }
}
