package dev.twofold.passcode;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** An app passcode as its owner may see it: name, restrictions and last use, never the secret. */
record AppPasscodeInfo(
        UUID id,
        String name,
        PasscodeScope scope,
        Instant createdAt,
        Optional<Instant> expiresAt,
        Optional<Instant> lastUsedAt,
        Optional<String> lastUsedIp,
        Optional<String> lastUsedProtocol) {

    static AppPasscodeInfo of(AppPasscode passcode) {
        return new AppPasscodeInfo(
                passcode.id,
                passcode.name,
                PasscodeScope.fromColumns(passcode.protocols, passcode.allowedIps),
                passcode.createdAt,
                Optional.ofNullable(passcode.expiresAt),
                Optional.ofNullable(passcode.lastUsedAt),
                Optional.ofNullable(passcode.lastUsedIp),
                Optional.ofNullable(passcode.lastUsedProtocol));
    }
}
