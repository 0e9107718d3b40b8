package dev.twofold.device;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A browser that passed the second factor and need not again until it expires or is forgotten. */
@Entity
@Table(name = "trusted_device")
class TrustedDevice {

    @Id
    UUID id;

    @Column(name = "account_id", nullable = false)
    String accountId;

    String name;

    /** Keyed HMAC of the device token; the token itself is never stored. */
    @Column(name = "lookup_hash", nullable = false)
    byte[] lookupHash;

    /** The ring key {@code lookupHash} is keyed under (null: stored before key ids were recorded). */
    @Column(name = "lookup_key_id")
    String lookupKeyId;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_ip")
    String createdIp;

    @Column(name = "last_used_at")
    Instant lastUsedAt;

    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;

    @Column(name = "revoked_at")
    Instant revokedAt;
}
