package dev.twofold.imports;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.Caller;
import dev.twofold.audit.RequestOrigins;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;

/**
 * {@code importAccounts} of the contract, written by hand rather than implementing the generated
 * {@code ImportsApi}: that interface must return a {@code Uni} of the whole answer and take the
 * whole body, while an import streams both ways (a worker thread reads the body as an
 * {@link InputStream} and writes results as each batch is done), so a file of any length is never
 * held in memory. Path, media types and parameter are the contract's.
 */
@Path("/v1/admin/imports")
@Authenticated
public class ImportResource {

    static final String NDJSON = "application/x-ndjson";

    private final AccountImporter importer;
    private final AccountAccess access;

    ImportResource(AccountImporter importer, AccountAccess access) {
        this.importer = importer;
        this.access = access;
    }

    @POST
    @Consumes(NDJSON)
    @Produces(NDJSON)
    @Blocking
    public StreamingOutput importAccounts(
            @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
            @Context HttpServerRequest request,
            InputStream body) {
        Caller admin = access.requireAnyAdmin();
        return out ->
                importer.run(body, dryRun, admin, RequestOrigins.of(request).by(admin), out);
    }
}
