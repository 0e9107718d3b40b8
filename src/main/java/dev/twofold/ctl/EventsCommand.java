package dev.twofold.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "Lists the account's security events, newest first, following the server's pages.")
final class EventsCommand extends AccountCommand {

    /** The contract's largest page. */
    private static final int MAX_PAGE = 200;

    private static final List<Output.Column> COLUMNS = List.of(
            new Output.Column("TIME", "occurredAt"),
            new Output.Column("EVENT", "type"),
            new Output.Column("IP", "ip"),
            new Output.Column("PROTOCOL", "protocol"),
            new Output.Column("DETAIL", "detail"));

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N events (default 50).")
    int limit;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "Only events since an instant (2026-11-23T09:00:00Z) or a duration ago (PT12H, P7D).")
    String since;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            split = ",",
            description = "Only events of these types (e.g. verify-failed,lockout).")
    List<String> types;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw api.usageError("--limit must be at least 1");
        }
        Instant cutoff = since == null ? Instant.MIN : cutoff(since);
        TwofoldClient client = api.client();
        ArrayNode events = TwofoldClient.JSON.createArrayNode();
        String before = null;
        boolean older = false;
        do {
            JsonNode page = client.get(pagePath(Math.min(MAX_PAGE, limit - events.size()), before));
            for (JsonNode event : page.path("items")) {
                older = Instant.parse(event.path("occurredAt").asText()).isBefore(cutoff);
                if (older) {
                    break;
                }
                events.add(event);
            }
            before = page.path("next").textValue();
        } while (!older && events.size() < limit && before != null);
        ObjectNode answer = TwofoldClient.JSON.createObjectNode().set("items", events);
        api.output().table(answer, events, "no events", COLUMNS);
        return ExitCodes.OK;
    }

    private String pagePath(int size, String before) {
        StringBuilder path = new StringBuilder(accountPath() + "/security-events?limit=" + size);
        if (before != null) {
            path.append("&before=").append(TwofoldClient.segment(before));
        }
        if (types != null) {
            types.forEach(type -> path.append("&type=").append(TwofoldClient.segment(type)));
        }
        return path.toString();
    }

    private Instant cutoff(String when) {
        try {
            return when.startsWith("P") ? Clock.systemUTC().instant().minus(Duration.parse(when)) : Instant.parse(when);
        } catch (DateTimeParseException e) {
            throw api.usageError("--since takes an instant (2026-11-23T09:00:00Z) or a duration (P7D): " + when);
        }
    }
}
