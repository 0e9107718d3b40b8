package dev.twofold.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.twofold.api.model.Problem;
import dev.twofold.api.model.ProblemFieldError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become RFC 9457 {@code application/problem+json}. Every answer has a
 * stable {@code type}; none carries a stack trace, a class name or a secret. Unexpected failures are
 * logged with an id that the response repeats, so operators can find them.
 */
public class ProblemMapper {

    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final ServedMethods served;

    ProblemMapper(ServedMethods served) {
        this.served = served;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> domain(ProblemException e, UriInfo uri) {
        Problem problem = problem(e.type(), e.detail(), uri);
        if (!e.invalidFields().isEmpty()) {
            problem.errors(e.invalidFields().stream()
                    .map(field -> new ProblemFieldError().field(field.field()).message(field.message()))
                    .toList());
        }
        RestResponse.ResponseBuilder<Problem> response =
                RestResponse.ResponseBuilder.create(status(e.type()), problem).type(PROBLEM_JSON);
        e.retryAfter().ifPresent(wait -> {
            long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
            response.header(HttpHeaders.RETRY_AFTER, seconds);
            problem.retryAfterSeconds((int) Math.min(seconds, Integer.MAX_VALUE));
        });
        if (e.type() == ProblemType.AUTHENTICATION_REQUIRED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public RestResponse<Problem> unauthenticated(RuntimeException e, UriInfo uri) {
        // The cause (expired, bad signature, wrong issuer...) is for the log, not for the caller.
        LOG.debugf("Rejected bearer token on %s: %s", uri.getPath(), e.getMessage());
        return builder(ProblemType.AUTHENTICATION_REQUIRED, "A valid bearer token is required.", uri)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e, UriInfo uri) {
        return builder(ProblemType.FORBIDDEN, "This token may not use this operation.", uri)
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(ConstraintViolationException e, UriInfo uri) {
        List<ProblemFieldError> errors = e.getConstraintViolations().stream()
                .sorted(Comparator.comparing(
                        violation -> violation.getPropertyPath().toString()))
                .map(violation ->
                        new ProblemFieldError().field(fieldName(violation)).message(violation.getMessage()))
                .toList();
        Problem problem = problem(ProblemType.VALIDATION_FAILED, "Some parameters are invalid.", uri)
                .errors(errors);
        return RestResponse.ResponseBuilder.create(status(ProblemType.VALIDATION_FAILED), problem)
                .type(PROBLEM_JSON)
                .build();
    }

    @ServerExceptionMapper({MismatchedInputException.class, JsonProcessingException.class})
    public RestResponse<Problem> unreadable(JsonProcessingException e, UriInfo uri) {
        // JSON that parses but breaks the contract names its field; Jackson's own message can quote
        // the input (a secret, perhaps), so it is never passed on.
        return JsonInputErrors.field(e)
                .map(field -> domain(ProblemException.invalidField(field.field(), field.message()), uri))
                .orElseGet(() -> builder(ProblemType.MALFORMED_REQUEST, "The request body is not valid JSON.", uri)
                        .build());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // The JSON reader wraps syntax errors and failed creators (an unknown enum value) in a 400.
            return unreadable(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        ProblemType type = switch (status) {
            case 401 -> ProblemType.AUTHENTICATION_REQUIRED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> ProblemType.MALFORMED_REQUEST;
        };
        RestResponse.ResponseBuilder<Problem> response = builder(type, describe(e, type), uri);
        if (e instanceof NotAllowedException) {
            response.header(HttpHeaders.ALLOW, String.join(", ", served.at(ServedMethods.requestPath(uri))));
        }
        if (type == ProblemType.AUTHENTICATION_REQUIRED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Throwable e, UriInfo uri) {
        Optional<ProblemException> outage = DatabaseOutage.asProblem(e, uri.getPath());
        if (outage.isPresent()) {
            return domain(outage.get(), uri);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure %s on %s", errorId, uri.getPath());
        return builder(ProblemType.INTERNAL_ERROR, "An unexpected error occurred (error id " + errorId + ").", uri)
                .build();
    }

    private static String describe(WebApplicationException e, ProblemType type) {
        return switch (type) {
            case NOT_FOUND -> "No resource at this path.";
            case METHOD_NOT_ALLOWED -> "This method is not allowed on this resource.";
            case NOT_ACCEPTABLE -> "This resource answers application/json or application/problem+json only.";
            case UNSUPPORTED_MEDIA_TYPE ->
                e instanceof NotSupportedException
                        ? "This operation does not accept that content type."
                        : "Unsupported content type.";
            case PAYLOAD_TOO_LARGE -> "The request body is too large.";
            default -> e instanceof NotAcceptableException ? "Not acceptable." : "The request is malformed.";
        };
    }

    /**
     * The field as the caller wrote it: {@code allowedIps[2]} for a list element, {@code limit} for a
     * parameter. Paths look like "createAppPasscode.body.allowedIps[2].<list element>": the method
     * and the Java parameter holding the body are not part of the request.
     */
    private static String fieldName(ConstraintViolation<?> violation) {
        String parameter = null;
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER, RETURN_VALUE -> {}
                case PARAMETER -> parameter = node.getName();
                default -> {
                    if (node.isInIterable()) {
                        field.append('[')
                                .append(node.getIndex() != null ? node.getIndex() : node.getKey())
                                .append(']');
                    }
                    if (node.getKind() == ElementKind.PROPERTY) {
                        field.append(field.isEmpty() ? "" : ".").append(node.getName());
                    }
                }
            }
        }
        return field.isEmpty() ? parameter : field.toString();
    }

    static RestResponse.ResponseBuilder<Problem> builder(ProblemType type, String detail, UriInfo uri) {
        return RestResponse.ResponseBuilder.create(status(type), problem(type, detail, uri))
                .type(PROBLEM_JSON);
    }

    private static Response.StatusType status(ProblemType type) {
        // Response.Status has no constant for 422 or 429 in every version: describe the status ourselves.
        return new Response.StatusType() {
            @Override
            public int getStatusCode() {
                return type.status();
            }

            @Override
            public Response.Status.Family getFamily() {
                return Response.Status.Family.familyOf(type.status());
            }

            @Override
            public String getReasonPhrase() {
                return type.title();
            }
        };
    }

    private static Problem problem(ProblemType type, String detail, UriInfo uri) {
        return new Problem()
                .type(URI.create(type.uri()))
                .title(type.title())
                .status(type.status())
                .detail(detail)
                .instance(uri.getPath());
    }
}
