package dev.twofold.passcode;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A per-device passcode for a mail app; revoked rows are kept (soft delete) for the audit trail. */
@Entity
@Table(name = "app_passcode")
class AppPasscode {

    @Id
    UUID id;

    @Column(name = "account_id", nullable = false)
    String accountId;

    @Column(nullable = false)
    String name;

    /** Keyed HMAC of the normalised passcode: finds the row by value with no Argon2 evaluation. */
    @Column(name = "lookup_hash", nullable = false)
    byte[] lookupHash;

    /** The ring key {@code lookupHash} is keyed under (null: stored before key ids were recorded). */
    @Column(name = "lookup_key_id")
    String lookupKeyId;

    @Column(name = "passcode_hash", nullable = false)
    String passcodeHash;

    /** Comma-separated {@code MailProtocol} values; null means every protocol. */
    String protocols;

    /** Comma-separated CIDR blocks; null means anywhere. */
    @Column(name = "allowed_ips")
    String allowedIps;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "expires_at")
    Instant expiresAt;

    @Column(name = "revoked_at")
    Instant revokedAt;

    @Column(name = "revoked_reason")
    String revokedReason;

    @Column(name = "last_used_at")
    Instant lastUsedAt;

    @Column(name = "last_used_ip")
    String lastUsedIp;

    @Column(name = "last_used_protocol")
    String lastUsedProtocol;

    /** What its security events say about it (a mutable map: callers add to it). */
    Map<String, String> eventDetail() {
        Map<String, String> detail = new HashMap<>();
        detail.put("passcodeId", id.toString());
        detail.put("passcodeName", name);
        return detail;
    }
}
