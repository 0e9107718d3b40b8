package dev.twofold.totp;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A seed handed out by "begin setup", waiting for its first code. */
@Entity
@Table(name = "totp_enrollment")
class TotpEnrollment {

    @Id
    @Column(name = "account_id")
    String accountId;

    @Column(name = "seed_ciphertext", nullable = false)
    byte[] seedCiphertext;

    @Column(name = "seed_key_id", nullable = false)
    String seedKeyId;

    @Column(nullable = false)
    String algorithm;

    @Column(nullable = false)
    short digits;

    @Column(name = "period_seconds", nullable = false)
    int periodSeconds;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;

    @Column(name = "failed_attempts", nullable = false)
    int failedAttempts;
}
