package dev.twofold.problem;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The outer time bound on every API request: one that has not begun its answer after
 * {@code twofold.http.request-timeout} is answered 503 {@code service-unavailable} with
 * {@code Retry-After}. The database pool bounds connects, waits and stalled connections, but a
 * request can still be lost between those bounds (Vert.x drops a pool waiter whose connection froze
 * during its handshake; a transaction on a connection closed under it may never complete), and a
 * caller that gets no answer at all cannot tell a slow service from a dead one. The work may still
 * finish afterwards, as behind any gateway timeout; every write is idempotent or conditional.
 */
class RequestDeadline {

    private static final Logger LOG = Logger.getLogger(RequestDeadline.class);
    private static final String RETRY_AFTER_SECONDS = "2";

    void install(
            @Observes Router router,
            Vertx vertx,
            @ConfigProperty(name = "twofold.http.request-timeout", defaultValue = "10S") Duration timeout) {
        if (timeout.toMillis() < 1) {
            throw new IllegalStateException("twofold.http.request-timeout must be positive (was " + timeout + ")");
        }
        // Right after the oversized-body guard, before Quarkus REST: every /v1 request is bounded.
        router.route("/v1/*").order(Integer.MIN_VALUE + 1).handler(context -> {
            long timer = vertx.setTimer(timeout.toMillis(), id -> answerIfSilent(context, timeout));
            context.addEndHandler(done -> vertx.cancelTimer(timer));
            context.next();
        });
    }

    private static void answerIfSilent(RoutingContext context, Duration timeout) {
        HttpServerResponse response = context.response();
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        LOG.warnf(
                "%s %s got no answer within %s; answered 503",
                context.request().method(), context.request().path(), timeout);
        response.putHeader("Retry-After", RETRY_AFTER_SECONDS);
        RawProblems.answer(
                response,
                ProblemType.SERVICE_UNAVAILABLE,
                "The request could not be completed in time; try again shortly.",
                context.request().path());
    }
}
