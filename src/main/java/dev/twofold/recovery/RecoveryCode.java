package dev.twofold.recovery;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One emergency code of an account's current set, stored only as hashes. */
@Entity
@Table(name = "recovery_code")
class RecoveryCode {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "account_id", nullable = false)
    String accountId;

    /** Keyed HMAC of the normalised code: finds the row without trying every Argon2 hash. */
    @Column(name = "lookup_hash", nullable = false)
    byte[] lookupHash;

    /** The ring key {@code lookupHash} is keyed under (null: stored before key ids were recorded). */
    @Column(name = "lookup_key_id")
    String lookupKeyId;

    @Column(name = "code_hash", nullable = false)
    String codeHash;

    @Column(name = "generated_at", nullable = false)
    Instant generatedAt;

    @Column(name = "used_at")
    Instant usedAt;
}
