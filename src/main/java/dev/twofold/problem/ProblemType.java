package dev.twofold.problem;

/**
 * Every failure Twofold reports to a caller, with its stable public slug
 * ({@code https://twofold.dev/problems/<slug>}) and HTTP status. Services throw
 * {@link ProblemException} with one of these; only the edge turns them into HTTP.
 */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", 400, "Malformed request"),
    VALIDATION_FAILED("validation-failed", 400, "Invalid request"),
    AUTHENTICATION_REQUIRED("authentication-required", 401, "Authentication required"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    REAUTHENTICATION_REQUIRED("reauthentication-required", 403, "Recent sign-in required"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    ALREADY_ENABLED("already-enabled", 409, "Two-factor authentication is already enabled"),
    NO_PENDING_ENROLLMENT("no-pending-enrollment", 409, "No pending enrollment"),
    TWO_FACTOR_NOT_ENABLED("two-factor-not-enabled", 409, "Two-factor authentication is not enabled"),
    DUPLICATE_NAME("duplicate-name", 409, "Name already in use"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    INVALID_CODE("invalid-code", 422, "Invalid code"),
    PASSCODE_LIMIT_REACHED("passcode-limit-reached", 422, "App passcode limit reached"),
    INVALID_DEVICE_TOKEN("invalid-device-token", 422, "Invalid device token"),
    POLICY_VIOLATION("policy-violation", 422, "Not allowed by the domain policy"),
    TOO_MANY_ATTEMPTS("too-many-attempts", 429, "Too many attempts"),
    INTERNAL_ERROR("internal-error", 500, "Internal error"),
    SERVICE_OVERLOADED("service-overloaded", 503, "Service overloaded"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable");

    private static final String TYPE_BASE = "https://twofold.dev/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return TYPE_BASE + slug;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
