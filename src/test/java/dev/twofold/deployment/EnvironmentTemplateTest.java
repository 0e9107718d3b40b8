package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.deployment.ConfigurationCatalog.Setting;
import dev.twofold.deployment.DeploymentFiles.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/twofold.env.example documents every setting the service reads, and every Twofold, Quarkus,
 * MicroProfile or SmallRye variable that any deployment file sets is a property the build really has.
 */
class EnvironmentTemplateTest {

    /** Variables whose names say they configure the service (others, e.g. JDK_JAVA_OPTIONS, are not checked). */
    private static final Pattern SERVICE_VARIABLE = Pattern.compile("(TWOFOLD|QUARKUS|MP|SMALLRYE)_[A-Z0-9_]+");

    private static final Pattern FRAMEWORK_PROPERTY = Pattern.compile("(quarkus|mp|smallrye)\\.");

    /** What a production installation cannot start or serve without. */
    private static final List<String> REQUIRED = List.of(
            "QUARKUS_DATASOURCE_REACTIVE_URL",
            "QUARKUS_DATASOURCE_JDBC_URL",
            "QUARKUS_DATASOURCE_USERNAME",
            "QUARKUS_DATASOURCE_PASSWORD",
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
            "MP_JWT_VERIFY_ISSUER",
            "MP_JWT_VERIFY_AUDIENCES",
            "SMALLRYE_JWT_SIGN_KEY_LOCATION",
            "TWOFOLD_ENCRYPTION_KEYS",
            "TWOFOLD_ENCRYPTION_ACTIVE_KEY");

    private final ConfigurationCatalog catalog = ConfigurationCatalog.load();

    @Test
    void templateDocumentsEveryApplicationSetting() {
        List<String> names =
                DeploymentFiles.envTemplate().stream().map(Variable::name).toList();
        Set<String> missing = new TreeSet<>();
        for (Map.Entry<String, Setting> setting : catalog.applicationSettings().entrySet()) {
            // A list's indexed form (a[*]) is the same setting as the list itself; framework
            // properties that application code also injects are documented by the framework.
            boolean own = !FRAMEWORK_PROPERTY.matcher(setting.getKey()).lookingAt()
                    && !setting.getKey().contains("[*]");
            if (own && names.stream().noneMatch(setting.getValue()::setBy)) {
                missing.add(setting.getKey() + " (" + ConfigurationCatalog.environmentName(setting.getKey()) + ")");
            }
        }
        assertTrue(
                missing.isEmpty(),
                "Add these settings to " + DeploymentFiles.ENV_TEMPLATE
                        + " (commented out with their default when optional): " + missing);
    }

    @Test
    void everyServiceVariableInTheTemplateIsARealSetting() {
        assertAllReal(DeploymentFiles.envTemplate());
    }

    @Test
    void everyServiceVariableInTheManifestsIsARealSetting() {
        assertAllReal(DeploymentFiles.manifestVariables());
    }

    @Test
    void quarkusVariablesInDeploymentFilesCanChangeAtRunTime() {
        List<Variable> variables = new ArrayList<>(DeploymentFiles.envTemplate());
        variables.addAll(DeploymentFiles.manifestVariables());
        Set<String> fixed = new TreeSet<>();
        for (Variable variable : variables) {
            catalog.settingFor(variable.name())
                    .filter(s -> !s.changeableAtRunTime())
                    .ifPresent(s -> fixed.add(variable.name() + " in " + variable.file() + " (" + s.phase() + ")"));
        }
        assertTrue(fixed.isEmpty(), "Fixed at build time, so setting them at run time has no effect: " + fixed);
    }

    @Test
    void aMisspelledOrRenamedVariableIsReported() {
        List<Variable> variables = List.of(
                new Variable("TWOFOLD_TOKEN_CACHE_MAX_AGE", "60S", "a.env", true),
                new Variable("TWOFOLD_TOKEN_CACHE_MAX_AGES", "60S", "a.env", true),
                new Variable("QUARKUS_HTTP_PORTT", "8080", "b.yaml", false),
                new Variable("JDK_JAVA_OPTIONS", "-Xmx1g", "b.yaml", false));

        assertEquals(
                Set.of("TWOFOLD_TOKEN_CACHE_MAX_AGES in a.env", "QUARKUS_HTTP_PORTT in b.yaml"),
                unknownSettings(variables));
    }

    @Test
    void requiredSettingsAreActiveLinesOfTheTemplate() {
        Set<String> active = new TreeSet<>();
        DeploymentFiles.envTemplate().stream().filter(Variable::active).forEach(v -> active.add(v.name()));
        Set<String> missing = new TreeSet<>(REQUIRED);
        missing.removeAll(active);
        assertTrue(missing.isEmpty(), "Required, so not commented out in the template: " + missing);
    }

    @Test
    void templateNamesEachSettingOnce() {
        List<String> names =
                DeploymentFiles.envTemplate().stream().map(Variable::name).toList();
        assertEquals(names.size(), new TreeSet<>(names).size(), "Duplicate names in the template: " + names);
    }

    private void assertAllReal(List<Variable> variables) {
        Set<String> unknown = unknownSettings(variables);
        assertTrue(
                unknown.isEmpty(), "No such property in this build (typo, or a setting that was renamed): " + unknown);
    }

    /** Service variables among {@code variables} that name no property of this build. */
    private Set<String> unknownSettings(List<Variable> variables) {
        Set<String> unknown = new TreeSet<>();
        for (Variable variable : variables) {
            Optional<Setting> setting = catalog.settingFor(variable.name());
            if (SERVICE_VARIABLE.matcher(variable.name()).matches() && setting.isEmpty()) {
                unknown.add(variable.name() + " in " + variable.file());
            }
        }
        return unknown;
    }
}
