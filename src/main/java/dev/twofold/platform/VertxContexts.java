package dev.twofold.platform;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/** Bringing a result back to the Vert.x context that waits for it (reactive sessions and pools need it). */
public final class VertxContexts {

    private VertxContexts() {}

    /** An executor for {@code emitOn} that runs on the caller's current context, or in place without one. */
    public static Executor current() {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Runnable::run;
        }
        return command -> context.runOnContext(ignored -> command.run());
    }
}
