package dev.twofold.problem;

import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * One rule for every operation, decided before the operation runs (so a refused request has no
 * effect): an operation that answers a JSON body answers 406 when {@code Accept} excludes
 * {@code application/json}; an operation without a body (204, nginx's header-only answer) or with
 * a streamed NDJSON body (the import) ignores {@code Accept}; success bodies are always {@code application/json} and problems always
 * {@code application/problem+json}, whatever {@code Accept} prefers (RFC 9457 clients take both).
 * An operation that reads a body answers 415 when the request has no {@code Content-Type}, rather
 * than guessing one.
 */
@Singleton
class ContentNegotiation {

    private static final String ACCEPTS_JSON = ContentNegotiation.class.getName() + ".acceptsJson";
    // What JAX-RS is told the caller accepts, so that its own negotiation neither refuses a
    // body-less answer nor labels a success body application/problem+json.
    private static final String OUR_TYPES =
            "application/json, application/x-ndjson;q=0.8, application/problem+json;q=0.5";

    private record Endpoint(boolean readsBody, boolean answersJson) {}

    private final Map<Method, Endpoint> endpoints = new ConcurrentHashMap<>();

    @ServerRequestFilter(preMatching = true)
    void takeOverAccept(ContainerRequestContext request) {
        request.setProperty(ACCEPTS_JSON, acceptsJson(request.getHeaders().get(HttpHeaders.ACCEPT)));
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, OUR_TYPES);
    }

    @ServerRequestFilter
    Response refuseUnnegotiable(ContainerRequestContext request, ResourceInfo resource, UriInfo uri) {
        Endpoint endpoint = endpoints.computeIfAbsent(
                resource.getResourceMethod(), method -> describe(method, resource.getResourceClass()));
        if (endpoint.readsBody() && request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null) {
            return ProblemMapper.builder(
                            ProblemType.UNSUPPORTED_MEDIA_TYPE, "This operation needs a Content-Type header.", uri)
                    .build()
                    .toResponse();
        }
        if (endpoint.answersJson() && Boolean.FALSE.equals(request.getProperty(ACCEPTS_JSON))) {
            return ProblemMapper.builder(
                            ProblemType.NOT_ACCEPTABLE,
                            "This operation answers application/json; the Accept header excludes it.",
                            uri)
                    .build()
                    .toResponse();
        }
        return null;
    }

    /**
     * Whether {@code Accept} admits {@code application/json}: absent, empty or unreadable means
     * anything; otherwise the most specific matching range decides, and {@code q=0} excludes.
     */
    static boolean acceptsJson(List<String> headers) {
        if (headers == null) {
            return true;
        }
        boolean anyRange = false;
        int bestSpecificity = -1;
        double bestQuality = 0;
        for (String header : headers) {
            for (String range : header.split(",")) {
                String[] parts = range.split(";");
                String type = parts[0].trim().toLowerCase(Locale.ROOT);
                if (type.indexOf('/') < 1) {
                    continue;
                }
                anyRange = true;
                int specificity = switch (type) {
                    case "application/json" -> 2;
                    case "application/*" -> 1;
                    case "*/*" -> 0;
                    default -> -1;
                };
                double quality = quality(parts);
                if (specificity > bestSpecificity || (specificity == bestSpecificity && quality > bestQuality)) {
                    bestSpecificity = specificity;
                    bestQuality = quality;
                }
            }
        }
        return !anyRange || (bestSpecificity >= 0 && bestQuality > 0);
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }

    private static Endpoint describe(Method method, Class<?> resourceClass) {
        Consumes consumes = declared(method, resourceClass, Consumes.class);
        Produces produces = declared(method, resourceClass, Produces.class);
        return new Endpoint(
                consumes != null && consumes.value().length > 0,
                produces != null
                        && Arrays.stream(produces.value())
                                .flatMap(types -> Arrays.stream(types.split(",")))
                                .anyMatch(type ->
                                        MediaType.valueOf(type.trim()).isCompatible(MediaType.APPLICATION_JSON_TYPE)));
    }

    /**
     * A JAX-RS annotation as it applies to a resource method: on the method, else on the contract
     * interface method it implements, else on the class or that interface.
     */
    private static <A extends Annotation> A declared(Method method, Class<?> resourceClass, Class<A> type) {
        A own = method.getAnnotation(type);
        if (own != null) {
            return own;
        }
        for (Class<?> api : resourceClass.getInterfaces()) {
            try {
                A inherited = api.getMethod(method.getName(), method.getParameterTypes())
                        .getAnnotation(type);
                if (inherited != null) {
                    return inherited;
                }
            } catch (NoSuchMethodException notThisInterface) {
                // Another interface declares it.
            }
        }
        A classLevel = resourceClass.getAnnotation(type);
        if (classLevel != null) {
            return classLevel;
        }
        return Arrays.stream(resourceClass.getInterfaces())
                .map(api -> api.getAnnotation(type))
                .filter(annotation -> annotation != null)
                .findFirst()
                .orElse(null);
    }
}
