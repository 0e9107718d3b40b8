package dev.twofold.device;

import java.time.Instant;
import java.util.UUID;

/** A trusted device satisfied the second factor at {@code verifiedAt}; {@code assertion} proves it to others. */
record DeviceVerification(UUID deviceId, Instant verifiedAt, Instant trustedUntil, String assertion) {}
