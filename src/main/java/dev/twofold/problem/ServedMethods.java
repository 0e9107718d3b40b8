package dev.twofold.problem;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Which HTTP methods each path really serves, read from the JAX-RS annotations of Twofold's
 * resources (and of the contract interfaces they implement). It answers {@code OPTIONS} and gives
 * 405 answers their {@code Allow} header: left to itself, JAX-RS lists every method of the resource
 * class, and the generated interfaces put many paths into one class.
 */
@Singleton
class ServedMethods {

    private static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*[^}:\\s]+\\s*(?::\\s*([^}]+))?}");

    private record Route(Pattern path, String method) {}

    private final BeanManager beans;
    // Built on first use: OPTIONS and 405 are rare, and scanning at boot would slow every start.
    private volatile List<Route> routes;

    ServedMethods(BeanManager beans) {
        this.beans = beans;
    }

    /** The methods served at {@code path} (as requested, not decoded), in a stable order; empty when nothing is. */
    public Set<String> at(String path) {
        Set<String> methods = new TreeSet<>(Comparator.comparingInt(ORDER::indexOf));
        for (Route route : routes()) {
            if (route.path().matcher(path).matches()) {
                methods.add(route.method());
            }
        }
        if (methods.isEmpty()) {
            return Set.of();
        }
        if (methods.contains(HttpMethod.GET)) {
            methods.add(HttpMethod.HEAD);
        }
        methods.add(HttpMethod.OPTIONS);
        return methods;
    }

    /** {@code OPTIONS} on a served path: 200 with {@code Allow}, no body, no authentication needed. */
    @ServerRequestFilter(preMatching = true)
    Response options(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return null;
        }
        Set<String> allowed = at(requestPath(request.getUriInfo()));
        return allowed.isEmpty() ? null : Response.ok().allow(allowed).build();
    }

    /** The path the resources' templates are matched against: relative to the REST root, still encoded. */
    static String requestPath(UriInfo uri) {
        String path = uri.getRequestUri().getRawPath();
        String base = uri.getBaseUri().getRawPath();
        return base.length() > 1 && path.startsWith(base) ? "/" + path.substring(base.length()) : path;
    }

    private List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            known = scan();
            routes = known;
        }
        return known;
    }

    private List<Route> scan() {
        Set<String> seen = new LinkedHashSet<>();
        List<Route> found = new ArrayList<>();
        for (Bean<?> bean : beans.getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            // Twofold's own resources only: no library in this service serves JAX-RS paths.
            if (type.isInterface() || !type.getName().startsWith("dev.twofold.")) {
                continue;
            }
            Path root = rootPath(type);
            if (root == null) {
                continue;
            }
            for (Class<?> declaring : declarers(type)) {
                Path own = declaring.getAnnotation(Path.class);
                for (Method method : declaring.getDeclaredMethods()) {
                    String verb = httpMethod(method);
                    if (verb == null) {
                        continue;
                    }
                    Path sub = method.getAnnotation(Path.class);
                    String template = join(own != null ? own.value() : root.value(), sub == null ? "" : sub.value());
                    if (seen.add(verb + " " + template)) {
                        found.add(new Route(compile(template), verb));
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    /** The class and its superclasses, each followed by the interfaces it implements. */
    private static List<Class<?>> declarers(Class<?> type) {
        List<Class<?>> declarers = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            declarers.add(c);
            declarers.addAll(List.of(c.getInterfaces()));
        }
        return declarers;
    }

    private static Path rootPath(Class<?> type) {
        for (Class<?> declaring : declarers(type)) {
            Path path = declaring.getAnnotation(Path.class);
            if (path != null) {
                return path;
            }
        }
        return null;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String joined = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(template);
        int literal = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(literal, parameter.start())));
            regex.append('(')
                    .append(
                            parameter.group(1) == null
                                    ? "[^/]+"
                                    : parameter.group(1).trim())
                    .append(')');
            literal = parameter.end();
        }
        regex.append(Pattern.quote(template.substring(literal)));
        return Pattern.compile(regex.toString());
    }
}
