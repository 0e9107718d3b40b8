package dev.twofold.device;

import java.time.Instant;
import java.util.UUID;

/** A newly trusted device and its token, which exists only here: show it once, never log it. */
public record IssuedDevice(UUID id, String token, Instant expiresAt) {

    @Override
    public String toString() {
        return "IssuedDevice[id=" + id + ", token=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
