package dev.twofold.crypto;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The key ring that seals secrets at rest; the only secret configuration Twofold has. */
@ConfigMapping(prefix = "twofold.encryption")
interface EncryptionConfig {

    /** Key ring: comma-separated {@code id:base64(32 bytes)} entries. */
    Optional<String> keys();

    /** Id of the ring key that seals new secrets; may be omitted when the ring holds one key. */
    Optional<String> activeKey();
}
