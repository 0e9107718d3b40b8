package dev.twofold.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.ContractOperations;
import dev.twofold.testing.ContractOperations.ContractOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The caller table exists once, as {@code x-twofold-callers} and {@code x-twofold-step-up} on every
 * contract operation; the operation's prose and the README's "Who may do what" table must say the
 * same. ({@link CallerMatrixTest} checks that the service does it.)
 */
class CallerRulesDocumentedTest {

    private static final Map<String, String> SPOKEN = Map.of(
            "owner", "the account's owner",
            "admin", "an admin",
            "mail-server", "a mail server");
    /** A README row: | `operationId` | `METHOD path` | owner | admin | mail server | */
    private static final Pattern README_ROW =
            Pattern.compile("^\\| `(\\w+)` \\| `([A-Z]+) ([^`]+)` \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\|$");

    private final List<ContractOperation> operations = ContractOperations.all();

    @Test
    void everyOperationDeclaresWhichCallerKindsItAdmits() {
        List<String> wrong = new ArrayList<>();
        for (ContractOperation operation : operations) {
            if (operation.callers().isEmpty()) {
                wrong.add(operation.id() + ": no " + ContractOperations.CALLERS + " list");
            }
            operation.callers().stream()
                    .filter(kind -> !ContractOperations.CALLER_KINDS.contains(kind))
                    .forEach(kind -> wrong.add(operation.id() + ": unknown caller kind " + kind));
            if (operation.admits("owner") && !operation.accountScoped()) {
                wrong.add(operation.id() + ": an owner exists only under /v1/accounts/{accountId}/");
            }
            operation
                    .stepUp()
                    .filter(value -> !Boolean.TRUE.equals(value))
                    .ifPresent(value -> wrong.add(
                            operation.id() + ": " + ContractOperations.STEP_UP + " is true or absent, not " + value));
            if (operation.stepUpRequired() && !operation.admits("owner")) {
                wrong.add(operation.id() + ": step-up applies to owners, who may not call it");
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void everyDescriptionStatesTheCallersAndTheStepUp() {
        List<String> wrong = new ArrayList<>();
        for (ContractOperation operation : operations) {
            String callers =
                    "Callers: " + operation.callers().stream().map(SPOKEN::get).collect(Collectors.joining(", or "));
            if (!Pattern.compile("(?m)^" + Pattern.quote(callers) + "[. :(]")
                    .matcher(operation.description())
                    .find()) {
                wrong.add(operation.id() + ": the description should say \"" + callers + "\"");
            }
            boolean described = operation.description().contains("**⚑ Step-up:**");
            boolean titled = operation.summary().contains("(⚑ step-up)");
            if (described != operation.stepUpRequired() || titled != operation.stepUpRequired()) {
                wrong.add(operation.id() + ": summary and description mark step-up iff " + ContractOperations.STEP_UP);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void readmeTableListsEveryOperationAsTheContractDoes() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher row = README_ROW.matcher(line.strip());
            if (row.matches()) {
                documented.put(
                        row.group(1),
                        row.group(2) + " " + row.group(3) + " | " + row.group(4).strip() + " | "
                                + row.group(5).strip() + " | " + row.group(6).strip());
            }
        }
        Map<String, String> expected = new TreeMap<>();
        for (ContractOperation operation : operations) {
            expected.put(
                    operation.id(),
                    operation.method() + " " + shortPath(operation.path()) + " | " + cell(operation, "owner") + " | "
                            + cell(operation, "admin") + " | " + cell(operation, "mail-server"));
        }
        assertEquals(lines(expected), lines(documented), "README.md \"Who may do what\" rows differ from the contract");
    }

    private static String cell(ContractOperation operation, String kind) {
        if (!operation.admits(kind)) {
            return "–";
        }
        return kind.equals("owner") && operation.stepUpRequired() ? "yes ⚑" : "yes";
    }

    private static String shortPath(String path) {
        return path.replace("/v1/accounts/{accountId}/", "…/");
    }

    private static String lines(Map<String, String> rows) {
        return rows.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
    }
}
