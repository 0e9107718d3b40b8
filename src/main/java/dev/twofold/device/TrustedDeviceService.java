package dev.twofold.device;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.crypto.AssertionIssuer;
import dev.twofold.crypto.LookupHasher;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.platform.Transactions;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Trusted devices: a browser that passed the second factor gets a random token (stored only as a
 * keyed hash) that stands in for a code until it expires or is forgotten. Every way a token can be
 * refused (unknown, expired, forgotten, another account's) gets the same public answer.
 */
@Startup
@ApplicationScoped
public class TrustedDeviceService {

    static final int MAX_NAME_LENGTH = 100;
    static final String AMR = "device";

    private static final Logger LOG = Logger.getLogger(TrustedDeviceService.class);

    private final TrustedDeviceRepository devices;
    private final SecretGenerator secrets;
    private final LookupHasher lookup;
    private final SecurityEventLog events;
    private final AssertionIssuer assertions;
    private final Duration lifetime;
    private final Clock clock;

    TrustedDeviceService(
            TrustedDeviceRepository devices,
            SecretGenerator secrets,
            LookupHasher lookup,
            SecurityEventLog events,
            AssertionIssuer assertions,
            TrustedDeviceConfig config,
            Clock clock) {
        this.devices = devices;
        this.secrets = secrets;
        this.lookup = lookup;
        this.events = events;
        this.assertions = assertions;
        this.lifetime = config.lifetime();
        this.clock = clock;
    }

    /**
     * Trusts the caller's browser for {@code twofold.trusted-devices.lifetime}, after a successful
     * second-factor verification. Joins the caller's transaction if there is one. The returned token
     * is the only copy: hand it to the front-end once.
     */
    public Uni<IssuedDevice> trust(AccountId account, Optional<String> name, EventOrigin origin) {
        String token = secrets.deviceToken();
        Instant now = now();
        TrustedDevice device = new TrustedDevice();
        device.id = UUID.randomUUID();
        device.accountId = account.value();
        device.name = name.map(String::strip)
                .filter(n -> !n.isEmpty())
                .map(TrustedDeviceService::shorten)
                .orElse(null);
        device.lookupHash = lookup.forStorage(LookupHasher.Purpose.DEVICE_TOKEN, token);
        device.lookupKeyId = lookup.activeKeyId();
        device.createdAt = now;
        device.createdIp = origin.ip().orElse(null);
        device.expiresAt = now.plus(lifetime);
        return Transactions.inTransaction(() -> devices.persist(device)
                .call(() -> events.record(account, SecurityEventType.TRUSTED_DEVICE_ADDED, origin, describe(device)))
                .map(saved -> new IssuedDevice(device.id, token, device.expiresAt)));
    }

    /**
     * Forgets every trusted device of the account (also when two-factor authentication is disabled or
     * reset); joins the caller's transaction if there is one. Idempotent.
     */
    public Uni<Void> forgetAll(AccountId account, EventOrigin origin) {
        return Transactions.inTransaction(() -> devices.revokeAll(account.value(), now())
                .flatMap(revoked -> revoked == 0
                        ? Uni.createFrom().voidItem()
                        : events.record(
                                account,
                                SecurityEventType.TRUSTED_DEVICE_REVOKED,
                                origin,
                                Map.of("scope", "all", "count", String.valueOf(revoked)))));
    }

    /** Lets a trusted device stand in for the second factor; 422 invalid-device-token otherwise. */
    Uni<DeviceVerification> verify(AccountId account, String token, EventOrigin origin) {
        // The refusal is committed (as a verify-failed event) before it is reported.
        return Transactions.inTransaction(() -> check(account, token, origin))
                .map(verified -> verified.orElseThrow(
                        () -> new ProblemException(ProblemType.INVALID_DEVICE_TOKEN, "This device is not trusted.")));
    }

    Uni<List<TrustedDevice>> active(AccountId account) {
        return Transactions.inSession(() -> devices.findActiveByAccount(account.value(), now()));
    }

    Uni<Void> forget(AccountId account, UUID deviceId, EventOrigin origin) {
        Instant now = now();
        return Transactions.inTransaction(() -> devices.findActive(account.value(), deviceId, now)
                .flatMap(device -> device == null
                        ? Uni.createFrom().item(0)
                        : devices.revoke(account.value(), deviceId, now)
                                .call(revoked -> revoked == 0
                                        ? Uni.createFrom().voidItem()
                                        : events.record(
                                                account,
                                                SecurityEventType.TRUSTED_DEVICE_REVOKED,
                                                origin,
                                                describe(device))))
                .invoke(revoked -> {
                    if (revoked == 0) {
                        throw new ProblemException(ProblemType.NOT_FOUND, "No such trusted device.");
                    }
                })
                .replaceWithVoid());
    }

    private Uni<Optional<DeviceVerification>> check(AccountId account, String token, EventOrigin origin) {
        Instant now = now();
        return devices.findByLookupHash(lookup.candidates(LookupHasher.Purpose.DEVICE_TOKEN, token))
                .flatMap(device -> {
                    Optional<String> refusal = refusal(device, account, now);
                    if (refusal.isPresent()) {
                        return refused(account, origin, refusal.get());
                    }
                    // Conditional on still being active: a device forgotten a moment ago is refused. The token
                    // is known now, so its lookup hash is re-keyed under the active key (key rotation).
                    return devices.markUsed(
                                    device.id,
                                    now,
                                    lookup.forStorage(LookupHasher.Purpose.DEVICE_TOKEN, token),
                                    lookup.activeKeyId())
                            .flatMap(updated -> updated == 0
                                    ? refused(account, origin, "forgotten or expired while being checked")
                                    : events.record(
                                                    account,
                                                    SecurityEventType.TRUSTED_DEVICE_USED,
                                                    origin,
                                                    describe(device))
                                            .map(recorded -> Optional.of(new DeviceVerification(
                                                    device.id,
                                                    now,
                                                    device.expiresAt,
                                                    assertions.issue(account, AMR)))));
                });
    }

    private Uni<Optional<DeviceVerification>> refused(AccountId account, EventOrigin origin, String reason) {
        LOG.debugf("Trusted-device token refused for %s: %s", account, reason);
        return events.record(account, SecurityEventType.VERIFY_FAILED, origin, Map.of("method", "trusted-device"))
                .replaceWith(Optional.empty());
    }

    /** PostgreSQL keeps microseconds: what the API returns now is what it will read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Optional<String> refusal(TrustedDevice device, AccountId account, Instant now) {
        if (device == null) {
            return Optional.of("unknown token");
        }
        if (!device.accountId.equals(account.value())) {
            return Optional.of("token of another account (device " + device.id + ")");
        }
        if (device.revokedAt != null) {
            return Optional.of("device " + device.id + " was forgotten");
        }
        if (!device.expiresAt.isAfter(now)) {
            return Optional.of("device " + device.id + " expired");
        }
        return Optional.empty();
    }

    private static Map<String, String> describe(TrustedDevice device) {
        Map<String, String> detail = new HashMap<>();
        detail.put("deviceId", device.id.toString());
        if (device.name != null) {
            detail.put("deviceName", device.name);
        }
        return detail;
    }

    private static String shorten(String name) {
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }
}
