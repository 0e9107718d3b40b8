package dev.twofold.testing;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations of {@code openapi/twofold.yaml} with the caller rules they declare: the vendor
 * extensions {@code x-twofold-callers} (caller kinds admitted) and {@code x-twofold-step-up}.
 */
public final class ContractOperations {

    public static final String CALLERS = "x-twofold-callers";
    public static final String STEP_UP = "x-twofold-step-up";
    public static final List<String> CALLER_KINDS = List.of("owner", "admin", "mail-server");

    /**
     * One operation as the contract states it.
     *
     * @param callers the {@code x-twofold-callers} list, empty when the extension is missing or not a list
     * @param successStatus the operation's one 2xx response
     */
    public record ContractOperation(
            String id,
            String method,
            String path,
            List<String> callers,
            Optional<Object> stepUp,
            String summary,
            String description,
            int successStatus) {

        public boolean stepUpRequired() {
            return Boolean.TRUE.equals(stepUp.orElse(false));
        }

        /**
         * About one account ({@code /v1/accounts/{accountId}/…}, the only paths its own token can use,
         * or {@code /v1/admin/accounts/{accountId}}): another account's token gets 404 there.
         */
        public boolean accountScoped() {
            return path.startsWith("/v1/accounts/{accountId}/") || path.startsWith("/v1/admin/accounts/{accountId}");
        }

        public boolean admits(String callerKind) {
            return callers.contains(callerKind);
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private ContractOperations() {}

    public static List<ContractOperation> all() {
        OpenAPI contract = new OpenAPIV3Parser()
                .read(Path.of("openapi/twofold.yaml").toUri().toString());
        List<ContractOperation> operations = new ArrayList<>();
        contract.getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> operations.add(new ContractOperation(
                                operation.getOperationId(),
                                method.name(),
                                path,
                                callers(operation),
                                extension(operation, STEP_UP),
                                operation.getSummary(),
                                operation.getDescription(),
                                successStatus(operation)))));
        operations.sort(Comparator.comparing(ContractOperation::id));
        return operations;
    }

    private static List<String> callers(Operation operation) {
        return extension(operation, CALLERS)
                .filter(List.class::isInstance)
                .map(list -> ((List<?>) list).stream().map(String::valueOf).toList())
                .orElse(List.of());
    }

    private static Optional<Object> extension(Operation operation, String name) {
        Map<String, Object> extensions = operation.getExtensions();
        return Optional.ofNullable(extensions == null ? null : extensions.get(name));
    }

    private static int successStatus(Operation operation) {
        List<Integer> success = operation.getResponses().keySet().stream()
                .filter(code -> code.startsWith("2"))
                .map(Integer::valueOf)
                .toList();
        if (success.size() != 1) {
            throw new IllegalStateException(
                    operation.getOperationId() + " should have exactly one 2xx response: " + success);
        }
        return success.get(0);
    }
}
