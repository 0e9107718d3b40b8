package dev.twofold.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Twofold's REST API as the CLI calls it: every request carries the bearer token, and every answer
 * that is not 2xx becomes a {@link CommandFailure} worded from its RFC 9457 problem.
 */
final class TwofoldClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final String JSON_TYPE = "application/json";
    private static final String NDJSON_TYPE = "application/x-ndjson";

    /** Without a trailing slash, so a deployment under a path prefix keeps it. */
    private final String base;

    private final String token;
    private final Transport transport;

    TwofoldClient(String base, String token, Transport transport) {
        this.base = base;
        this.token = token;
        this.transport = transport;
    }

    /** One path segment, percent-encoded; {@code @} stays as it is, as the contract allows. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("%40", "@");
    }

    JsonNode get(String path) {
        return exchange(request(path, JSON_TYPE).GET().build());
    }

    JsonNode delete(String path) {
        return exchange(request(path, JSON_TYPE).DELETE().build());
    }

    JsonNode post(String path) {
        return exchange(request(path, JSON_TYPE).POST(BodyPublishers.noBody()).build());
    }

    JsonNode put(String path, JsonNode body) {
        BodyPublisher json = BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
        return exchange(request(path, JSON_TYPE)
                .header("Content-Type", JSON_TYPE)
                .PUT(json)
                .build());
    }

    /**
     * Posts the file as an NDJSON body, streamed from disk, and returns the NDJSON answer's lines as
     * they arrive (close the stream to release the connection).
     */
    Stream<String> postLines(String path, Path file) {
        HttpRequest request;
        try {
            request = request(path, NDJSON_TYPE)
                    .header("Content-Type", NDJSON_TYPE)
                    .POST(BodyPublishers.ofFile(file))
                    .build();
        } catch (FileNotFoundException e) {
            throw new CommandFailure("cannot read " + file, ExitCodes.FAILED);
        }
        HttpResponse<Stream<String>> response = send(request, BodyHandlers.ofLines());
        if (response.statusCode() / 100 != 2) {
            String body;
            try (Stream<String> lines = response.body()) {
                body = lines.collect(Collectors.joining("\n"));
            }
            throw refusal(response.statusCode(), body);
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path, String accept) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", accept)
                .header("User-Agent", "twofoldctl");
    }

    /** The answer's JSON, or a missing node for an answer without a body (204). */
    private JsonNode exchange(HttpRequest request) {
        HttpResponse<String> response = send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
            throw refusal(response.statusCode(), response.body());
        }
        return response.body().isEmpty() ? MissingNode.getInstance() : parse(response.body());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return transport.send(request, handler);
        } catch (IOException e) {
            throw new CommandFailure("cannot reach " + base + ": " + reason(e), ExitCodes.UNREACHABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted", ExitCodes.FAILED);
        }
    }

    /** The JDK's client often wraps the informative exception ("Connection refused") in one without a message. */
    private static String reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CommandFailure("the server's answer is not JSON", ExitCodes.FAILED);
        }
    }

    /** {@code <title>: <detail> (<type>)} and one line per invalid field, or the bare status without a problem. */
    private static CommandFailure refusal(int status, String body) {
        JsonNode problem;
        try {
            problem = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            problem = MissingNode.getInstance();
        }
        if (problem == null || !problem.hasNonNull("title")) {
            return new CommandFailure("HTTP " + status, ExitCodes.FAILED);
        }
        StringBuilder message = new StringBuilder(problem.get("title").asText());
        if (problem.hasNonNull("detail")) {
            message.append(": ").append(problem.get("detail").asText());
        }
        message.append(" (").append(problem.path("type").asText("about:blank")).append(')');
        for (JsonNode error : problem.path("errors")) {
            message.append("\n  ")
                    .append(error.path("field").asText())
                    .append(": ")
                    .append(error.path("message").asText());
        }
        return new CommandFailure(message.toString(), ExitCodes.FAILED);
    }
}
