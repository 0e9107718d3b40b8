package dev.twofold.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.testing.Api;
import dev.twofold.testing.Tokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Sends NDJSON import files as an admin and reads the NDJSON answer. */
final class ImportRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImportRequests() {}

    static List<JsonNode> importFile(String ndjson, boolean dryRun) {
        return importFileAs(Tokens.admin(), ndjson, dryRun);
    }

    static List<JsonNode> importFileAs(String adminToken, String ndjson, boolean dryRun) {
        String answer = Api.hostile(adminToken)
                .contentType("application/x-ndjson")
                .queryParam("dryRun", dryRun)
                .body(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/admin/imports")
                .then()
                .statusCode(200)
                .contentType("application/x-ndjson")
                .extract()
                .asString();
        List<JsonNode> results = new ArrayList<>();
        for (String line : answer.split("\n")) {
            if (!line.isEmpty()) {
                try {
                    results.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return results;
    }

    static String line(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertStatus(JsonNode result, int line, String status) {
        assertEquals(line, result.get("line").asInt(), result.toString());
        assertEquals(status, result.get("status").asText(), result.toString());
    }
}
