package dev.twofold.problem;

import java.time.Duration;
import java.util.Optional;

/**
 * A domain failure with a public meaning. The {@code detail} is shown to the caller, so it must
 * never carry a secret or an internal cause; the real cause belongs in the log.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final Duration retryAfter;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ProblemException(ProblemType type, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.type = type;
        this.retryAfter = retryAfter;
    }

    public ProblemType type() {
        return type;
    }

    public String detail() {
        return getMessage();
    }

    /** How long the caller should wait before trying again (429 and 503). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
