package dev.twofold.problem;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Problem documents written straight to Vert.x, for answers given before or beside JAX-RS. */
final class RawProblems {

    private RawProblems() {}

    static void answer(HttpServerResponse response, ProblemType type, String detail, String path) {
        response.setStatusCode(type.status())
                .putHeader("Content-Type", ProblemMapper.PROBLEM_JSON.toString())
                .end(new JsonObject()
                        .put("type", type.uri())
                        .put("title", type.title())
                        .put("status", type.status())
                        .put("detail", detail)
                        .put("instance", path)
                        .encode());
    }
}
