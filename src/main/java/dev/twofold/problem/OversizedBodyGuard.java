package dev.twofold.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers bodies over {@code quarkus.http.limits.max-body-size} with a problem document. The HTTP
 * layer would otherwise reply with a bare 413 before JAX-RS (and {@link ProblemMapper}) ever runs.
 * A chunked body without Content-Length is still cut off by that layer, with an empty 413.
 */
class OversizedBodyGuard {

    /** Where the HTTP metrics look for the request's path template (set by Quarkus REST once routed). */
    private static final String METRICS_PATH_TEMPLATE = "UrlPathTemplate";

    void install(
            @Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        long limit = maxBodySize.asLongValue();
        router.route().order(Integer.MIN_VALUE).handler(context -> {
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
