package dev.twofold.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twofold.testing.Contract;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's problem examples say what the service really answers: status, title, and the response they document. */
class ContractExamplesTest {

    private static final String TYPE_BASE = "https://twofold.dev/problems/";

    @Test
    void everyProblemExampleHasTheStatusAndTitleTheServiceSends() {
        List<JsonNode> examples = new ArrayList<>();
        collectProblems(Contract.document(), examples);
        assertFalse(examples.isEmpty());
        for (JsonNode example : examples) {
            ProblemType type = type(example);
            assertEquals(type.status(), example.path("status").asInt(), example.toString());
            assertEquals(type.title(), example.path("title").asText(), example.toString());
        }
    }

    @Test
    void everyOperationListsItsProblemExamplesUnderTheirStatus() {
        Contract.document()
                .path("paths")
                .forEach(path -> path.forEach(operation -> operation
                        .path("responses")
                        .fields()
                        .forEachRemaining(response -> {
                            List<JsonNode> examples = new ArrayList<>();
                            collectProblems(resolve(response.getValue()), examples);
                            examples.forEach(example -> assertEquals(
                                    response.getKey(),
                                    example.path("status").asText(),
                                    operation.path("operationId").asText() + ": " + example));
                        })));
    }

    private static JsonNode resolve(JsonNode response) {
        String ref = response.path("$ref").asText("");
        return ref.isEmpty() ? response : Contract.document().at(ref.substring(1));
    }

    private static ProblemType type(JsonNode example) {
        String slug = example.path("type").asText().substring(TYPE_BASE.length());
        return Arrays.stream(ProblemType.values())
                .filter(type -> type.slug().equals(slug))
                .findFirst()
                .orElseThrow(() -> new AssertionError("unknown problem type " + slug));
    }

    private static void collectProblems(JsonNode node, List<JsonNode> found) {
        if (node.isObject() && node.path("type").asText("").startsWith(TYPE_BASE) && node.has("status")) {
            found.add(node);
            return;
        }
        node.forEach(child -> collectProblems(child, found));
    }
}
