package dev.twofold.passcode;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the owner asks for when creating a passcode.
 *
 * @param protocols the protocols it may be used with; empty = all
 * @param allowedIps client networks in CIDR notation (validated by the service); empty = anywhere
 * @param expiresAt when it stops working; must lie in the future
 */
record PasscodeRequest(
        String name, Optional<Set<MailProtocol>> protocols, List<String> allowedIps, Optional<Instant> expiresAt) {}
