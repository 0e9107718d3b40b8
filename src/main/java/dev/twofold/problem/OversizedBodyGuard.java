package dev.twofold.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers bodies over the limit with a problem document. The HTTP layer would otherwise reply with
 * a bare 413 before JAX-RS (and {@link ProblemMapper}) ever runs. The limit is
 * {@code twofold.http.max-body-size}, except on the streamed import ({@value #IMPORT_PATH}), whose
 * NDJSON files may be as large as {@code quarkus.http.limits.max-body-size} (the HTTP layer's
 * limit, set for it). A chunked body without Content-Length is still cut off by that layer (at the
 * limit of its path, which this guard hands down), with an empty 413.
 */
class OversizedBodyGuard {

    /** Where the HTTP metrics look for the request's path template (set by Quarkus REST once routed). */
    private static final String METRICS_PATH_TEMPLATE = "UrlPathTemplate";
    /** Where Quarkus REST looks for the limit of a body without Content-Length (set by the HTTP layer). */
    private static final String CHUNKED_LIMIT = "io.quarkus.max-request-size";
    /** Runs right after the HTTP layer's own limit handler (order -2), to override what it set. */
    private static final int AFTER_HTTP_LIMITS = -1;

    static final String IMPORT_PATH = "/v1/admin/imports";

    void install(
            @Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize importBodySize,
            @ConfigProperty(name = "twofold.http.max-body-size") MemorySize maxBodySize) {
        long importLimit = importBodySize.asLongValue();
        long ordinaryLimit = maxBodySize.asLongValue();
        router.route().order(AFTER_HTTP_LIMITS).handler(context -> {
            if (context.get(CHUNKED_LIMIT) != null && !context.request().path().equals(IMPORT_PATH)) {
                context.put(CHUNKED_LIMIT, ordinaryLimit);
            }
            context.next();
        });
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            long limit = context.request().path().equals(IMPORT_PATH) ? importLimit : ordinaryLimit;
            String length = context.request().getHeader("Content-Length");
            if (length != null && exceeds(length, limit)) {
                ProblemType type = ProblemType.PAYLOAD_TOO_LARGE;
                // Not routed, so no path template: tag the metrics with a constant, not the raw path
                // (an account id, or any path a caller makes up).
                Vertx.currentContext().putLocal(METRICS_PATH_TEMPLATE, "PAYLOAD_TOO_LARGE");
                context.response().putHeader("Connection", "close");
                RawProblems.answer(
                        context.response(),
                        type,
                        "The request body is larger than " + limit + " bytes.",
                        context.request().path());
                return;
            }
            context.next();
        });
    }

    private static boolean exceeds(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
