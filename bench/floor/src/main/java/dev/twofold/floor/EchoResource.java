package dev.twofold.floor;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The echo floor: a JSON round trip with no I/O and no authentication, shaped like a mail-auth verify
 * (the benchmark sends both the same bodies). What Quarkus REST + Jackson cost on this machine.
 */
@Path("/echo")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EchoResource {

    public record EchoRequest(String accountId, String secret, String protocol, String clientIp) {}

    public record EchoResponse(String decision, String accountId) {}

    @POST
    public EchoResponse echo(EchoRequest request) {
        return new EchoResponse("accept", request.accountId());
    }
}
