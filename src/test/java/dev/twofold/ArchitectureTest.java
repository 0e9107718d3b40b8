package dev.twofold;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure the code must keep: features that own their tables and depend on each other
 * without cycles, raw SQL only in stores, resources that go through services, and no type public
 * that nothing outside its package uses. Only the production classes are checked; the generated
 * contract ({@code dev.twofold.api}) is not ours to shape.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.twofold";

    /**
     * Which package owns each table of {@code db/migration}: only it may name the table in SQL or map
     * an entity to it. A new table must be added here (checked against the migrations below).
     */
    private static final Map<String, String> TABLE_OWNERS = Map.ofEntries(
            Map.entry("totp_factor", "dev.twofold.totp"),
            Map.entry("totp_enrollment", "dev.twofold.totp"),
            Map.entry("recovery_code", "dev.twofold.recovery"),
            Map.entry("app_passcode", "dev.twofold.passcode"),
            Map.entry("app_passcode_ip", "dev.twofold.passcode"),
            Map.entry("trusted_device", "dev.twofold.device"),
            Map.entry("security_event", "dev.twofold.audit"),
            Map.entry("webhook_delivery", "dev.twofold.audit"),
            Map.entry("lookup_legacy_key", "dev.twofold.rotation"),
            Map.entry("domain_policy", "dev.twofold.policy"),
            Map.entry("account_first_seen", "dev.twofold.policy"));

    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?i)create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?(\\w+)");

    /** What the SQL client runs statements with: a query, or a connection or transaction to run them on. */
    private static final Set<String> SQL_METHODS =
            Set.of("query", "preparedQuery", "withTransaction", "withConnection", "getConnection");

    private static JavaClasses classes;
    /** Production and test classes: tests and their fixtures count as users of a public type. */
    private static JavaClasses classesWithTests;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        classesWithTests = new ClassFileImporter().importPackages(ROOT);
    }

    @Test
    void packagesDependOnEachOtherWithoutCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void rawPoolIsUsedOnlyByStores() {
        noClasses()
                .that()
                .haveSimpleNameNotEndingWith("Store")
                .should()
                .callMethodWhere(DescribedPredicate.describe(
                        "runs SQL on the reactive client",
                        (JavaMethodCall call) -> SQL_METHODS.contains(call.getName())
                                && (call.getTargetOwner().isAssignableTo(io.vertx.sqlclient.SqlClient.class)
                                        || call.getTargetOwner()
                                                .isAssignableTo(io.vertx.mutiny.sqlclient.SqlClient.class))))
                .because("raw SQL on the reactive pool is kept to classes named *Store")
                .check(classes);
    }

    /** A class past this many lines has stopped being about one thing: split it along its seams. */
    private static final int MAX_LINES = 300;

    @Test
    void productionSourcesStayWithinThreeHundredLines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                int lines = Files.readAllLines(file).size();
                if (lines > MAX_LINES) {
                    tooLong.add(MAIN_SOURCES.relativize(file) + ": " + lines + " lines");
                }
            }
        }
        assertTrue(tooLong.isEmpty(), "over " + MAX_LINES + " lines:\n" + String.join("\n", tooLong));
    }

    @Test
    void resourcesGoThroughServicesNotRepositories() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("Resource")
                .should()
                .dependOnClassesThat()
                .haveSimpleNameEndingWith("Repository")
                .orShould()
                .dependOnClassesThat()
                .areAssignableTo(PanacheRepositoryBase.class)
                .check(classes);
    }

    @Test
    void everyTableOfTheMigrationsHasAnOwner() throws IOException {
        Set<String> created = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher matcher = CREATE_TABLE.matcher(Files.readString(file));
                while (matcher.find()) {
                    created.add(matcher.group(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        assertEquals(created, new TreeSet<>(TABLE_OWNERS.keySet()), "tables of db/migration vs. TABLE_OWNERS");
    }

    /**
     * ArchUnit sees no SQL, so the string literals of the main sources (entity mappings such as
     * {@code @Table(name = …)} included) are searched for table names; comments are not code and
     * are skipped.
     */
    @Test
    void tablesAreTouchedOnlyByTheirOwningPackage() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                String pkg = packageOf(source);
                String literals = String.join("\n", JavaLiterals.of(source));
                TABLE_OWNERS.forEach((table, owner) -> {
                    if (!pkg.equals(owner)
                            && Pattern.compile("\\b" + table + "\\b")
                                    .matcher(literals)
                                    .find()) {
                        violations.add(
                                MAIN_SOURCES.relativize(file) + " names table " + table + " (owned by " + owner + ")");
                    }
                });
            }
        }
        assertTrue(
                violations.isEmpty(), "tables touched outside their owning package:\n" + String.join("\n", violations));
    }

    /**
     * A public top-level type must be used from another package. Exempt are the generated contract,
     * and what the framework needs public: JAX-RS resources (they implement a generated interface) and
     * the RFC 9457 problem mapper's providers.
     */
    @Test
    void typesArePublicOnlyWhenAnotherPackageUsesThem() {
        List<String> violations = new ArrayList<>();
        for (JavaClass type : classes) {
            if (!type.isTopLevelClass()
                    || !type.getModifiers().contains(JavaModifier.PUBLIC)
                    || type.getPackageName().startsWith(ROOT + ".api")
                    || type.getSimpleName().equals("package-info")
                    || FRAMEWORK_PUBLIC.test(type)) {
                continue;
            }
            // A supertype of classes elsewhere (an extension point such as rotation's KeyedTable) is used there too.
            JavaClass withUsers = classesWithTests.get(type.getName());
            boolean usedElsewhere = withUsers.getDirectDependenciesToSelf().stream()
                            .map(dependency -> dependency.getOriginClass().getPackageName())
                            .anyMatch(pkg -> !pkg.equals(type.getPackageName()))
                    || classesWithTests.stream()
                            .anyMatch(other -> !other.getPackageName().equals(type.getPackageName())
                                    && other.isAssignableTo(type.getName()));
            if (!usedElsewhere) {
                violations.add(type.getName());
            }
        }
        assertTrue(
                violations.isEmpty(),
                "public, yet used by no other package (make them package-private):\n" + String.join("\n", violations));
    }

    /**
     * Types the framework instantiates or scans and that must stay public; among them config mappings
     * with groups, whose group accessors SmallRye's Bean Validation pass reads by reflection at boot.
     */
    private static final DescribedPredicate<JavaClass> FRAMEWORK_PUBLIC = DescribedPredicate.describe(
            "implements the generated API, is a JAX-RS provider or a config mapping with groups",
            type -> type.getAllRawInterfaces().stream()
                            .anyMatch(i -> i.getPackageName().equals(ROOT + ".api"))
                    || type.isAnnotatedWith("jakarta.ws.rs.ext.Provider")
                    || type.isAnnotatedWith("jakarta.ws.rs.Path")
                    || type.isAnnotatedWith("io.smallrye.config.ConfigMapping")
                            && type.getMethods().stream()
                                    .anyMatch(
                                            method -> method.getRawReturnType().isInterface()
                                                    && method.getRawReturnType()
                                                            .getEnclosingClass()
                                                            .filter(type::equals)
                                                            .isPresent()));

    private static String packageOf(String source) {
        Matcher matcher = Pattern.compile("(?m)^package ([\\w.]+);").matcher(source);
        return matcher.find() ? matcher.group(1) : "";
    }

    /** The string and text-block literals of a Java source, with comments and char literals skipped. */
    static final class JavaLiterals {

        private JavaLiterals() {}

        static List<String> of(String source) {
            List<String> literals = new ArrayList<>();
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                    i = endOf(source, "\n", i + 2);
                } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                    i = endOf(source, "*/", i + 2);
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? n : end;
                    literals.add(source.substring(i + 3, end));
                    i = end + 3;
                } else if (c == '"' || c == '\'') {
                    int j = i + 1;
                    while (j < n && source.charAt(j) != c) {
                        j += source.charAt(j) == '\\' ? 2 : 1;
                    }
                    if (c == '"') {
                        literals.add(source.substring(i + 1, Math.min(j, n)));
                    }
                    i = j + 1;
                } else {
                    i++;
                }
            }
            return literals;
        }

        private static int endOf(String source, String terminator, int from) {
            int end = source.indexOf(terminator, from);
            return end < 0 ? source.length() : end + terminator.length();
        }
    }

    @Test
    void literalScannerSkipsCommentsAndFindsTextBlocks() {
        String source = "// app_passcode\n/* totp_factor */ String a = \"x\\\"y\"; char q = '\"'; String b = \"\"\"\n"
                + "select 1 from recovery_code\"\"\";";
        assertEquals(List.of("x\\\"y", "\nselect 1 from recovery_code"), JavaLiterals.of(source));
    }
}
