package dev.twofold.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * twofoldctl as operators run it: a separate JVM on the test classpath, against the running service,
 * with real admin tokens; stdout, stderr and the exit code are what is checked.
 */
@QuarkusTest
class TwofoldctlProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL service;

    @Inject
    TestClock clock;

    private String account;

    private record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void enabledAccount() {
        TwoFactorSteps.fixAtStepStart(clock);
        account = Accounts.fresh();
        TwoFactorSteps.enable(account, clock);
    }

    private Result ctl(String token, String... args) throws Exception {
        return ctlAt(service.toString(), token, args);
    }

    private static Result ctlAt(String url, String token, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("twofoldctl", ".out");
        Path err = Files.createTempFile("twofoldctl", ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(Map.of("TWOFOLD_URL", url, "TWOFOLD_TOKEN", token));
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "twofoldctl did not finish");
        Result result = new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    @Test
    void statusPrintsOneLinePerField() throws Exception {
        Result status = ctl(Tokens.admin(), "status", account);
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().lines().anyMatch(line -> line.matches("enabled\\s+true")), status.out());
        assertTrue(
                status.out().lines().anyMatch(line -> line.matches("recoveryCodes\\.remaining\\s+10")), status.out());
    }

    @Test
    void jsonIsTheServersJson() throws Exception {
        Result status = ctl(Tokens.admin(), "status", account, "--json");
        assertEquals(0, status.exitCode(), status.err());
        JsonNode answer = JSON.readTree(status.out());
        assertEquals(account, answer.path("accountId").asText());
        assertTrue(answer.path("enabled").asBoolean());
    }

    @Test
    void passcodesAreListedAndRevokedOneOrAll() throws Exception {
        Passcodes.Created phone = Passcodes.create(account, "Phone");
        Passcodes.create(account, "Laptop");

        Result list = ctl(Tokens.admin(), "passcodes", "list", account);
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().startsWith("ID"), list.out());
        assertTrue(list.out().contains("Phone") && list.out().contains("Laptop"), list.out());

        assertEquals(
                0,
                ctl(Tokens.admin(), "passcodes", "revoke", account, phone.id().toString())
                        .exitCode());
        JsonNode left = JSON.readTree(
                ctl(Tokens.admin(), "passcodes", "list", account, "--json").out());
        assertEquals(1, left.path("items").size());
        assertEquals("Laptop", left.path("items").get(0).path("name").asText());

        assertEquals(
                0, ctl(Tokens.admin(), "passcodes", "revoke", account, "--all").exitCode());
        assertEquals(
                "no active app passcodes\n",
                ctl(Tokens.admin(), "passcodes", "list", account).out());
    }

    @Test
    void eventsShowTheAuditTrail() throws Exception {
        Result events = ctl(Tokens.admin(), "events", account, "--type", "two-factor-enabled", "--json");
        assertEquals(0, events.exitCode(), events.err());
        JsonNode items = JSON.readTree(events.out()).path("items");
        assertEquals(1, items.size());
        assertEquals("two-factor-enabled", items.get(0).path("type").asText());

        Result table = ctl(Tokens.admin(), "events", account, "--limit", "1", "--since", "PT1H");
        assertEquals(0, table.exitCode(), table.err());
        assertEquals(2, table.out().lines().count(), table.out());
    }

    @Test
    void exportPrintsTheAccountsDataAndEraseRemovesIt() throws Exception {
        Passcodes.create(account, "Phone");

        Result export = ctl(Tokens.admin(), "export", account, "--json");
        assertEquals(0, export.exitCode(), export.err());
        JsonNode data = JSON.readTree(export.out());
        assertEquals(account, data.path("accountId").asText());
        assertTrue(data.path("twoFactor").path("enabled").asBoolean(), export.out());
        assertEquals("Phone", data.path("appPasscodes").get(0).path("name").asText());

        Result erase = ctl(Tokens.admin(), "erase", account, "--yes");
        assertEquals(0, erase.exitCode(), erase.err());
        assertEquals("erased " + account + "\n", erase.out());
        JsonNode erased =
                JSON.readTree(ctl(Tokens.admin(), "export", account, "--json").out());
        assertTrue(!erased.path("twoFactor").path("enabled").asBoolean(), erased.toString());
        assertEquals(0, erased.path("appPasscodes").size());
        assertEquals(0, erased.path("securityEvents").size());
    }

    @Test
    void resetTurnsTwoFactorOff() throws Exception {
        Result reset = ctl(Tokens.admin(), "reset", account);
        assertEquals(0, reset.exitCode(), reset.err());
        assertTrue(reset.out().contains("off for " + account), reset.out());
        TwoFactorSteps.status(account).statusCode(200).body("enabled", org.hamcrest.Matchers.is(false));
    }

    @Test
    void rotateKeysReportsTheActiveKey() throws Exception {
        Result rotation = ctl(Tokens.admin(), "rotate-keys", "--once", "--json");
        assertEquals(0, rotation.exitCode(), rotation.err());
        assertEquals(
                "test-throwaway",
                JSON.readTree(rotation.out()).path("activeKeyId").asText());
    }

    @Test
    void aRefusedTokenExitsOneWithTheProblem() throws Exception {
        Result refused = ctl(Tokens.expired("ops@example.org"), "status", account);
        assertEquals(1, refused.exitCode());
        assertEquals("", refused.out());
        assertTrue(refused.err().startsWith("error: "), refused.err());
        assertTrue(refused.err().contains("(https://twofold.dev/problems/authentication-required)"), refused.err());
    }

    @Test
    void anOwnerTokenMayNotRotateKeys() throws Exception {
        Result forbidden = ctl(Tokens.owner(account), "rotate-keys");
        assertEquals(1, forbidden.exitCode());
        assertTrue(forbidden.err().contains("(https://twofold.dev/problems/forbidden)"), forbidden.err());
    }

    @Test
    void anUnreachableServerExitsThree() throws Exception {
        Result unreachable = ctlAt("http://127.0.0.1:1", Tokens.admin(), "status", account);
        assertEquals(3, unreachable.exitCode());
        assertTrue(unreachable.err().startsWith("error: cannot reach http://127.0.0.1:1"), unreachable.err());
    }

    @Test
    void everyCommandAnswersHelp() throws Exception {
        Result help = ctl(Tokens.admin(), "passcodes", "revoke", "--help");
        assertEquals(0, help.exitCode(), help.err());
        assertTrue(help.out().startsWith("Usage: twofoldctl passcodes revoke"), help.out());
    }
}
