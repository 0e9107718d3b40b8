package dev.twofold.audit;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.AccountId;
import dev.twofold.api.SecurityEventsApi;
import dev.twofold.api.model.MailProtocolSlug;
import dev.twofold.api.model.Problem;
import dev.twofold.api.model.RecordedSecurityEvent;
import dev.twofold.api.model.SecurityEventPage;
import dev.twofold.api.model.SecurityEventSlug;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemMapper;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

@Authenticated
public class SecurityEventsResource implements SecurityEventsApi {

    private static final int DEFAULT_LIMIT = 50;

    private final AccountAccess access;
    private final SecurityEventService events;
    private final ProblemMapper problems;

    SecurityEventsResource(AccountAccess access, SecurityEventService events, ProblemMapper problems) {
        this.access = access;
        this.events = events;
        this.problems = problems;
    }

    @Override
    public Uni<SecurityEventPage> listSecurityEvents(
            String accountId, Integer limit, String before, List<SecurityEventSlug> type) {
        AccountId account = access.ownerOrAdmin(accountId);
        Set<SecurityEventType> types = EnumSet.noneOf(SecurityEventType.class);
        if (type != null) {
            type.forEach(t -> types.add(SecurityEventType.ofSlug(t.toString())));
        }
        return events.page(account, limit == null ? DEFAULT_LIMIT : limit, Optional.ofNullable(before), types)
                .map(page -> new SecurityEventPage()
                        .items(page.items().stream()
                                .map(SecurityEventsResource::toDto)
                                .toList())
                        .next(page.next().orElse(null)));
    }

    /**
     * JAX-RS answers a query value it cannot convert (an unknown {@code type}, a {@code limit} that is
     * no number) with 404 and without naming it; the contract says 400 naming each such parameter.
     * Only conversion raises a bare NotFoundException for this resource.
     */
    @ServerExceptionMapper
    RestResponse<Problem> unconvertibleParameter(NotFoundException e, UriInfo uri) {
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        List<ProblemException.InvalidField> invalid = new ArrayList<>();
        if (query.getOrDefault("limit", List.of()).stream().anyMatch(limit -> !limit.matches("[+-]?[0-9]{1,9}"))) {
            invalid.add(new ProblemException.InvalidField("limit", "must be an integer from 1 to 200"));
        }
        List<String> types =
                Arrays.stream(SecurityEventSlug.values()).map(Object::toString).toList();
        if (!types.containsAll(query.getOrDefault("type", List.of()))) {
            invalid.add(new ProblemException.InvalidField("type", "must be one of " + String.join(", ", types)));
        }
        if (invalid.isEmpty()) {
            invalid.add(new ProblemException.InvalidField("query", "has a value outside the contract"));
        }
        return problems.domain(ProblemException.invalidFields(invalid), uri);
    }

    private static RecordedSecurityEvent toDto(SecurityEvent event) {
        return new RecordedSecurityEvent()
                .id(String.valueOf(event.id))
                .type(SecurityEventSlug.fromValue(event.type))
                .occurredAt(event.occurredAt)
                .ip(event.ip)
                .protocol(protocol(event.protocol))
                .userAgent(event.userAgent)
                .actor(event.actor)
                .detail(event.detail);
    }

    /** Protocols outside the contract's list (a custom proxy's label) are left out rather than failing the page. */
    private static MailProtocolSlug protocol(String value) {
        return value == null
                ? null
                : Arrays.stream(MailProtocolSlug.values())
                        .filter(protocol -> protocol.toString().equals(value))
                        .findFirst()
                        .orElse(null);
    }
}
