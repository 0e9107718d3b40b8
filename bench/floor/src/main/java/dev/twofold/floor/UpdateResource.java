package dev.twofold.floor;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The update floor: one conditional {@code UPDATE … RETURNING} through the reactive PostgreSQL
 * client, shaped like the two-factor replay guard, on {@code bench_floor} (a copy of
 * {@code totp_factor}'s shape, see {@link FloorTable}). One round trip, nothing else.
 */
@Path("/update")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class UpdateResource {

    public record UpdateRequest(String accountId) {}

    public record UpdateResponse(boolean updated, long lastStep) {}

    private static final String UPDATE = "update bench_floor set last_step = $2, failed_attempts = 0, lockouts = 0,"
            + " locked_until = null where account_id = $1 and last_step < $2 returning last_step";

    private final Pool pool;
    // Always above every value written before, so the condition holds unless two updates of one row
    // race (the benchmark spreads requests over many rows).
    private final AtomicLong step = new AtomicLong(1);

    UpdateResource(Pool pool) {
        this.pool = pool;
    }

    @POST
    public Uni<UpdateResponse> update(UpdateRequest request) {
        return pool.preparedQuery(UPDATE)
                .execute(Tuple.of(request.accountId(), step.incrementAndGet()))
                .map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    return it.hasNext()
                            ? new UpdateResponse(true, it.next().getLong(0))
                            : new UpdateResponse(false, 0);
                });
    }
}
