package dev.twofold.problem;

import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Contract;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** For every path of the contract: OPTIONS lists exactly the methods it serves, any other method is 405 with that {@code Allow}. */
@QuarkusTest
class HttpMethodsTest {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    static Stream<String> contractPaths() {
        return Contract.operations().stream().map(Contract.Operation::path).distinct();
    }

    @ParameterizedTest
    @MethodSource("contractPaths")
    void optionsListsTheMethodsThePathServes(String template) {
        String path = concrete(template);
        String allow = Api.hostile(Tokens.admin())
                .options(path)
                .then()
                .statusCode(200)
                .body(emptyOrNullString())
                .extract()
                .header("Allow");

        assertEquals(Contract.methodsAt(path), methods(allow));
    }

    @ParameterizedTest
    @MethodSource("contractPaths")
    void otherMethodsAre405WithTheAllowHeader(String template) {
        String path = concrete(template);
        Set<String> served = Contract.methodsAt(path);
        for (String method : METHODS) {
            if (served.contains(method)) {
                continue;
            }
            String allow = assertProblem(
                            Api.hostile(Tokens.admin()).request(method, path).then(), 405, "method-not-allowed")
                    .extract()
                    .header("Allow");
            assertEquals(served, methods(allow), method + " " + path);
        }
    }

    private static String concrete(String template) {
        return template.replace("{accountId}", Accounts.fresh())
                .replace("{passcodeId}", UUID.randomUUID().toString())
                .replace("{deviceId}", UUID.randomUUID().toString())
                .replace("{domain}", Accounts.freshDomain());
    }

    private static Set<String> methods(String allow) {
        return new TreeSet<>(Arrays.stream(allow.split(",")).map(String::trim).toList());
    }
}
