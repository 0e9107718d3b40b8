package dev.twofold.problem;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A domain failure with a public meaning. The {@code detail} is shown to the caller, so it must
 * never carry a secret or an internal cause; the real cause belongs in the log.
 */
public class ProblemException extends RuntimeException {

    /** One request field that breaks the contract, named as the caller wrote it ({@code allowedIps[2]}). */
    public record InvalidField(String field, String message) {}

    private final ProblemType type;
    private final Duration retryAfter;
    private final List<InvalidField> invalidFields;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ProblemException(ProblemType type, String detail, Duration retryAfter) {
        this(type, detail, retryAfter, List.of());
    }

    private ProblemException(ProblemType type, String detail, Duration retryAfter, List<InvalidField> invalidFields) {
        super(detail, null, false, false);
        this.type = type;
        this.retryAfter = retryAfter;
        this.invalidFields = List.copyOf(invalidFields);
    }

    /** {@code validation-failed} for one field, e.g. {@code invalidField("expiresAt", "must lie in the future")}. */
    public static ProblemException invalidField(String field, String message) {
        return invalidFields(List.of(new InvalidField(field, message)));
    }

    /** {@code validation-failed} listing every offending field. */
    public static ProblemException invalidFields(List<InvalidField> fields) {
        String detail = fields.size() == 1
                ? fields.get(0).field() + " " + fields.get(0).message() + "."
                : "The request has " + fields.size() + " invalid fields.";
        return new ProblemException(ProblemType.VALIDATION_FAILED, detail, null, fields);
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

    /** With {@code validation-failed}: the fields at fault, for the problem's {@code errors}. */
    public List<InvalidField> invalidFields() {
        return invalidFields;
    }
}
