package dev.twofold.imports;

import dev.twofold.account.AccountId;
import dev.twofold.crypto.LegacyPasscodeHash;
import dev.twofold.passcode.PasscodeScope;
import dev.twofold.totp.HashAlgorithm;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One validated line of an import file; secrets in plain form, so it never appears in a log. */
record ImportedAccount(
        AccountId account, Optional<Seed> totp, long lastStep, List<String> recoveryCodes, List<Passcode> passcodes) {

    /** A TOTP seed and its parameters. */
    record Seed(byte[] secret, HashAlgorithm algorithm, int digits, int periodSeconds) {}

    /** An app passcode: normalised {@code plain}, or the earlier system's {@code legacy} hash. */
    record Passcode(
            String name,
            Optional<String> plain,
            Optional<LegacyPasscodeHash> legacy,
            PasscodeScope scope,
            Optional<Instant> createdAt) {}

    @Override
    public String toString() {
        return "ImportedAccount[" + account + "]";
    }
}
