package dev.twofold.totp;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An account's confirmed TOTP factor; the row exists only while two-factor authentication is on. */
@Entity
@Table(name = "totp_factor")
class TotpFactor {

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

    @Column(name = "enabled_at", nullable = false)
    Instant enabledAt;

    @Column(name = "last_step", nullable = false)
    long lastStep;

    @Column(name = "failed_attempts", nullable = false)
    int failedAttempts;

    @Column(nullable = false)
    int lockouts;

    @Column(name = "locked_until")
    Instant lockedUntil;
}
