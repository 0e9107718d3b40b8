package dev.twofold.recovery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** How many codes of the current set are left; never the codes themselves. */
public record RecoveryCodeStatistics(int remaining, int issued, Optional<Instant> generatedAt) {

    static final RecoveryCodeStatistics NONE = new RecoveryCodeStatistics(0, 0, Optional.empty());

    static RecoveryCodeStatistics of(List<RecoveryCode> codes) {
        if (codes.isEmpty()) {
            return NONE;
        }
        int remaining = (int) codes.stream().filter(code -> code.usedAt == null).count();
        Instant generatedAt = codes.stream()
                .map(code -> code.generatedAt)
                .max(Instant::compareTo)
                .orElseThrow();
        return new RecoveryCodeStatistics(remaining, codes.size(), Optional.of(generatedAt));
    }
}
