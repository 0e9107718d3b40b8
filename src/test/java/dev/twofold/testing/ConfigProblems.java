package dev.twofold.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What SmallRye Config reports for a {@code @ConfigMapping} at boot: the same mapping, the same Bean
 * Validation pass and the same messages that stop the service, without starting it.
 */
public final class ConfigProblems {

    private static final Validator VALIDATOR =
            Validation.buildDefaultValidatorFactory().getValidator();

    private ConfigProblems() {}

    /** The problems of {@code mapping} with {@code properties} set over its defaults; empty when it would boot. */
    public static List<String> of(Class<?> mapping, Map<String, String> properties) {
        BeanValidationConfigValidator validator = () -> VALIDATOR;
        try {
            new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(properties, "test", 500))
                    // Quarkus reads "15M" and "30S" as well as ISO-8601; so does every test here.
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withMapping(mapping)
                    .withValidator(validator)
                    .build();
            return List.of();
        } catch (ConfigValidationException e) {
            return IntStream.range(0, e.getProblemCount())
                    .mapToObj(i -> e.getProblem(i).getMessage())
                    .toList();
        }
    }

    /** {@code mapping} boots on its defaults; {@code property=value} stops it with one problem naming the property. */
    public static void assertRefusedByName(Class<?> mapping, String property, String value) {
        assertEquals(List.of(), of(mapping, Map.of()));
        List<String> problems = of(mapping, Map.of(property, value));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(property + " "), problems.toString());
    }
}
