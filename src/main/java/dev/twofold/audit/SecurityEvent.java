package dev.twofold.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One entry of an account's audit trail. Never holds a secret. */
@Entity
@Table(name = "security_event")
class SecurityEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "account_id", nullable = false)
    String accountId;

    /** The {@link SecurityEventType#slug()}. */
    @Column(nullable = false)
    String type;

    @Column(name = "occurred_at", nullable = false)
    Instant occurredAt;

    String ip;

    String protocol;

    @Column(name = "user_agent")
    String userAgent;

    /** The acting admin's token subject, for events of admin actions. */
    String actor;

    @JdbcTypeCode(SqlTypes.JSON)
    Map<String, String> detail;
}
