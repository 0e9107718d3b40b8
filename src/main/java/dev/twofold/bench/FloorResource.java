package dev.twofold.bench;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floors the benchmark measures the hot paths against, served by the same Quarkus REST stack:
 * a JSON round trip with no I/O (shaped like a mail-auth verify), the same with bearer-token
 * verification, and one single-row conditional {@code UPDATE … RETURNING} through the raw reactive
 * PostgreSQL client (shaped like the TOTP replay guard). Not part of the contract.
 *
 * <p>Registered only when {@code twofold.bench.floors.enabled=true} (read at start), and even then
 * answers only loopback callers. The update runs through {@link FloorStore}.
 */
@Path("/bench/floors")
@EndpointDisabled(name = "twofold.bench.floors.enabled", stringValue = "false", disableIfMissing = true)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class FloorResource {

    /** Shaped like a mail-auth verify request; the benchmark sends the same bodies to both. */
    public record EchoRequest(String accountId, String secret, String protocol, String clientIp) {}

    /** Shaped like a mail-auth decision. */
    public record EchoResponse(String decision, String accountId) {}

    public record UpdateRequest(String accountId) {}

    public record UpdateResponse(boolean updated, long lastStep) {}

    private final FloorsConfig config;
    private final FloorStore store;
    // Always above every value written before, so the condition holds unless two updates of one
    // row race (the benchmark spreads requests over many rows).
    private final AtomicLong step = new AtomicLong(1);

    FloorResource(FloorsConfig config, FloorStore store) {
        this.config = config;
        this.store = store;
    }

    @POST
    @Path("/echo")
    public Uni<EchoResponse> echo(EchoRequest request, @Context HttpServerRequest http) {
        guard(http);
        return Uni.createFrom().item(new EchoResponse("accept", request.accountId()));
    }

    @POST
    @Path("/echo-authenticated")
    @Authenticated
    public Uni<EchoResponse> echoAuthenticated(EchoRequest request, @Context HttpServerRequest http) {
        guard(http);
        return Uni.createFrom().item(new EchoResponse("accept", request.accountId()));
    }

    @POST
    @Path("/update")
    public Uni<UpdateResponse> update(UpdateRequest request, @Context HttpServerRequest http) {
        guard(http);
        return store.advance(request.accountId(), step.incrementAndGet())
                .map(stored -> new UpdateResponse(stored.isPresent(), stored.orElse(0)));
    }

    /** A second lock behind the start-time switch: disabled, or not from loopback, looks like no endpoint. */
    private void guard(HttpServerRequest http) {
        if (!config.enabled()
                || http.remoteAddress() == null
                || !isLoopback(http.remoteAddress().hostAddress())) {
            throw new NotFoundException();
        }
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.") || address.equals("0:0:0:0:0:0:0:1") || address.equals("::1");
    }
}
