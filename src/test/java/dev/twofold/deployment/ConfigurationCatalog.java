package dev.twofold.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every configuration property the packaged service can read, taken from the build itself: the
 * {@code @ConfigMapping} interfaces (and {@code @ConfigProperty} injections) compiled from
 * src/main, the config model that each Quarkus extension jar ships, and SmallRye JWT's own settings.
 * Answers which property an environment variable sets, following SmallRye Config's rule (upper
 * case, every other character becomes {@code _}; map keys and quoted segments are free).
 */
final class ConfigurationCatalog {

    /**
     * A known property; {@code phase} is Quarkus' (RUN_TIME, BUILD_TIME, BUILD_AND_RUN_TIME_FIXED),
     * {@code defaultValue} is known for Quarkus' own properties only.
     */
    record Setting(String property, String phase, String defaultValue, Pattern environmentVariable) {

        boolean changeableAtRunTime() {
            return "RUN_TIME".equals(phase);
        }

        boolean setBy(String variable) {
            return environmentVariable.matcher(variable).matches();
        }
    }

    private static final String QUARKUS_MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    private static final String JWT_VERIFY_SETTINGS = "io.smallrye.jwt.config.JWTAuthContextInfoProvider";
    private static final String JWT_BUILD_SETTINGS = "io.smallrye.jwt.build.impl.JwtBuildUtils";
    private static final String APPLICATION_PACKAGE = "dev/twofold/";
    private static final String GENERATED_PACKAGE = "dev/twofold/api/";
    private static final Pattern FREE_SEGMENT = Pattern.compile("\"[^\"]*\"|\\*|\\[\\*]");

    private static ConfigurationCatalog loaded;

    private final Map<String, Setting> application = new LinkedHashMap<>();
    private final Map<String, Setting> all = new LinkedHashMap<>();

    private ConfigurationCatalog() {}

    static synchronized ConfigurationCatalog load() {
        if (loaded == null) {
            ConfigurationCatalog catalog = new ConfigurationCatalog();
            catalog.addApplicationSettings(Repository.path("target/classes"));
            catalog.addQuarkusSettings();
            catalog.addJwtSettings();
            loaded = catalog;
        }
        return loaded;
    }

    /** The application's own properties (from src/main), e.g. {@code twofold.argon2.pool-size}. */
    Map<String, Setting> applicationSettings() {
        return Collections.unmodifiableMap(application);
    }

    /** A property by its name. */
    Optional<Setting> setting(String property) {
        return Optional.ofNullable(all.get(property));
    }

    /** The property an environment variable sets, if any. */
    Optional<Setting> settingFor(String variable) {
        return all.values().stream().filter(s -> s.setBy(variable)).findFirst();
    }

    /** SmallRye Config's environment variable for a property, as a pattern (map keys and quoted segments free). */
    static Pattern environmentPattern(String property) {
        StringBuilder regex = new StringBuilder();
        Matcher free = FREE_SEGMENT.matcher(property);
        int last = 0;
        while (free.find()) {
            regex.append(Pattern.quote(environmentName(property.substring(last, free.start()))));
            regex.append(
                    free.group().equals("[*]")
                            ? "_[0-9]+_"
                            : free.group().startsWith("\"") ? "_[A-Z0-9_]+_" : "[A-Z0-9_]+");
            last = free.end();
        }
        regex.append(Pattern.quote(environmentName(property.substring(last))));
        return Pattern.compile(regex.toString());
    }

    /** Upper case, every character that is no letter or digit becomes {@code _}. */
    static String environmentName(String property) {
        StringBuilder name = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }

    private void add(Map<String, Setting> target, String property, String phase) {
        add(target, property, phase, null);
    }

    private void add(Map<String, Setting> target, String property, String phase, String defaultValue) {
        target.putIfAbsent(property, new Setting(property, phase, defaultValue, environmentPattern(property)));
    }

    private void addApplicationSettings(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("No compiled classes at " + classes + ": run the tests through Maven");
        }
        for (Class<?> type : applicationClasses(classes)) {
            ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
            if (mapping != null) {
                ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(type, mapping.prefix()))
                        .keySet()
                        .forEach(p -> add(application, p, "RUN_TIME"));
            }
            for (AnnotatedElement element : injectionPoints(type)) {
                ConfigProperty property = element.getAnnotation(ConfigProperty.class);
                if (property != null && !property.name().isEmpty()) {
                    add(application, property.name(), "RUN_TIME");
                }
            }
        }
        application.values().forEach(s -> all.putIfAbsent(s.property(), s));
    }

    private static List<Class<?>> applicationClasses(Path classes) {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                if (name.startsWith(APPLICATION_PACKAGE) && !name.startsWith(GENERATED_PACKAGE)) {
                    String className =
                            name.substring(0, name.length() - ".class".length()).replace('/', '.');
                    types.add(Class.forName(className, false, ConfigurationCatalog.class.getClassLoader()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    private static List<AnnotatedElement> injectionPoints(Class<?> type) {
        List<AnnotatedElement> points = new ArrayList<>(List.of(type.getDeclaredFields()));
        for (var constructor : type.getDeclaredConstructors()) {
            points.addAll(List.of(constructor.getParameters()));
        }
        for (var method : type.getDeclaredMethods()) {
            for (Parameter parameter : method.getParameters()) {
                points.add(parameter);
            }
        }
        return points;
    }

    private void addQuarkusSettings() {
        ObjectMapper json = new ObjectMapper();
        try {
            var models = ConfigurationCatalog.class.getClassLoader().getResources(QUARKUS_MODEL);
            int count = 0;
            while (models.hasMoreElements()) {
                URL model = models.nextElement();
                try (InputStream in = model.openStream()) {
                    collectQuarkusProperties(json.readTree(in));
                }
                count++;
            }
            if (count == 0) {
                throw new IllegalStateException("No Quarkus config model on the test class path");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collectQuarkusProperties(JsonNode node) {
        if (node.isObject()) {
            if (node.path("@class").asText().endsWith(".ConfigProperty") && node.has("path")) {
                String phase = node.path("phase").asText();
                String defaultValue =
                        node.has("defaultValue") ? node.path("defaultValue").asText() : null;
                add(all, node.path("path").path("property").asText(), phase, defaultValue);
                node.path("additionalPaths")
                        .forEach(p -> add(all, p.path("property").asText(), phase));
            }
            node.forEach(this::collectQuarkusProperties);
        } else if (node.isArray()) {
            node.forEach(this::collectQuarkusProperties);
        }
    }

    private void addJwtSettings() {
        try {
            for (Field field : Class.forName(JWT_VERIFY_SETTINGS).getDeclaredFields()) {
                ConfigProperty property = field.getAnnotation(ConfigProperty.class);
                if (property != null) {
                    add(all, property.name(), "RUN_TIME");
                }
            }
            for (Field field : Class.forName(JWT_BUILD_SETTINGS).getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    field.setAccessible(true);
                    String value = (String) field.get(null);
                    if (value != null && value.startsWith("smallrye.jwt.")) {
                        add(all, value, "RUN_TIME");
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("SmallRye JWT's settings moved; update " + ConfigurationCatalog.class, e);
        }
    }
}
