package dev.twofold.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/README.md names real things: the metrics the code registers, API paths of the contract, real settings and files. */
class OperationsGuideTest {

    private static final String GUIDE = "deploy/README.md";
    private static final Pattern METER = Pattern.compile(
            "(?:(?:Counter|Timer|Gauge|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer|TimeGauge)"
                    + "\\.builder|\\.(?:counter|timer|gauge|summary|more\\(\\)\\.\\w+)|@(?:Counted|Timed))"
                    + "\\(\\s*(?:value\\s*=\\s*)?\"(twofold\\.[a-z0-9._-]+)\"");
    private static final Pattern API_PATH = Pattern.compile("(/v1/[A-Za-z0-9/{}._@-]+)");
    private static final Pattern VARIABLE = Pattern.compile("\\b((?:TWOFOLD|QUARKUS|MP|SMALLRYE)_[A-Z0-9_]+)\\b");
    private static final Pattern FILE = Pattern.compile("`((?:deploy|k8s)/[A-Za-z0-9._/-]+)`");

    private final String guide = Repository.read(GUIDE);

    @Test
    void listsEveryMetricTheCodeRegisters() {
        Set<String> meters = new TreeSet<>();
        for (Path source : Repository.filesUnder("src/main/java")) {
            Matcher m = METER.matcher(Repository.read(source));
            while (m.find()) {
                meters.add(m.group(1));
            }
        }
        assertFalse(meters.isEmpty(), "no twofold.* meters found: has the registration style changed?");
        Set<String> missing = new TreeSet<>();
        meters.stream().filter(name -> !guide.contains("`" + name + "`")).forEach(missing::add);
        assertTrue(missing.isEmpty(), "Describe these metrics in " + GUIDE + " (Logs and metrics): " + missing);
    }

    @Test
    void apiPathsExistInTheContract() {
        JsonNode paths = Repository.yaml("openapi/twofold.yaml").path("paths");
        Matcher m = API_PATH.matcher(guide);
        while (m.find()) {
            String path = m.group(1).replaceAll("[.]$", "");
            assertTrue(paths.has(path), GUIDE + " names " + path + ", which the contract does not have");
        }
    }

    @Test
    void settingsItNamesAreReal() {
        ConfigurationCatalog catalog = ConfigurationCatalog.load();
        Matcher m = VARIABLE.matcher(guide);
        Set<String> unknown = new TreeSet<>();
        while (m.find()) {
            String name = m.group(1);
            if (catalog.settingFor(name).isEmpty()) {
                unknown.add(name);
            }
        }
        assertTrue(unknown.isEmpty(), GUIDE + " names unknown settings: " + unknown);
    }

    @Test
    void filesItNamesExist() {
        Matcher m = FILE.matcher(guide);
        while (m.find()) {
            assertTrue(DeploymentFiles.exists(m.group(1)), GUIDE + " names missing " + m.group(1));
        }
    }
}
