package dev.twofold.audit;

import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class SecurityEventsApiTest {

    @Inject
    SecurityEventLog log;

    @Test
    void listsNewestFirstWithEveryRecordedField() {
        String account = Accounts.fresh();
        RecordedEvents.record(
                log,
                account,
                SecurityEventType.PASSCODE_CREATED,
                EventOrigin.web("203.0.113.77", "Firefox"),
                Map.of("passcodeName", "Thunderbird"));
        RecordedEvents.record(
                log,
                account,
                SecurityEventType.PASSCODE_NEW_IP,
                RecordedEvents.mailLogin("198.51.100.23", "imap"),
                Map.of());

        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("next", nullValue())
                .body("items[0].type", equalTo("passcode-new-ip"))
                .body("items[0].ip", equalTo("198.51.100.23"))
                .body("items[0].protocol", equalTo("imap"))
                .body("items[0].detail", nullValue())
                .body("items[1].type", equalTo("passcode-created"))
                .body("items[1].ip", equalTo("203.0.113.77"))
                .body("items[1].userAgent", equalTo("Firefox"))
                .body("items[1].detail.passcodeName", equalTo("Thunderbird"));
    }

    @Test
    void accountWithoutEventsHasAnEmptyLastPage() {
        String account = Accounts.fresh();
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .body("items", hasSize(0))
                .body("next", nullValue());
    }

    @Test
    void cursorIsStableWhenNewerEventsArriveBetweenPages() {
        String account = Accounts.fresh();
        for (int i = 0; i < 12; i++) {
            RecordedEvents.record(log, account, SecurityEventType.VERIFY_SUCCEEDED);
        }
        List<String> existing = allIds(account, 50);
        assertEquals(12, existing.size());

        List<String> paged = new ArrayList<>();
        String next = null;
        do {
            JsonPath page = page(account, 5, next);
            paged.addAll(page.getList("items.id"));
            next = page.getString("next");
            // Newer events must neither shift later pages nor appear in them.
            RecordedEvents.record(log, account, SecurityEventType.VERIFY_FAILED);
        } while (next != null);

        assertEquals(existing, paged);
    }

    @Test
    void pagingWhileEventsAreRecordedConcurrentlyHasNoDuplicatesNorGaps() throws Exception {
        String account = Accounts.fresh();
        for (int i = 0; i < 30; i++) {
            RecordedEvents.record(log, account, SecurityEventType.VERIFY_SUCCEEDED);
        }
        List<String> before = allIds(account, 200);

        ExecutorService writer = Executors.newSingleThreadExecutor();
        List<String> paged = new ArrayList<>();
        try {
            Future<?> inserts = writer.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    RecordedEvents.record(log, account, SecurityEventType.VERIFY_FAILED);
                }
            });
            String next = null;
            do {
                JsonPath page = page(account, 4, next);
                paged.addAll(page.getList("items.id"));
                next = page.getString("next");
            } while (next != null);
            inserts.get(60, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }

        assertEquals(paged.size(), new HashSet<>(paged).size(), "no event twice");
        assertTrue(paged.containsAll(before), "every event recorded before paging began is listed");
        // Everything older than the first page's newest event is listed, newest first, none skipped.
        List<String> afterwards = allIds(account, 200);
        assertEquals(afterwards.subList(afterwards.indexOf(paged.get(0)), afterwards.size()), paged);
    }

    @Test
    void filtersByOneOrSeveralTypes() {
        String account = Accounts.fresh();
        RecordedEvents.record(log, account, SecurityEventType.VERIFY_FAILED);
        RecordedEvents.record(log, account, SecurityEventType.LOCKOUT);
        RecordedEvents.record(log, account, SecurityEventType.VERIFY_SUCCEEDED);
        RecordedEvents.record(log, account, SecurityEventType.VERIFY_FAILED);

        Api.as(Tokens.owner(account))
                .queryParam("type", "verify-failed")
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .body("items.type", equalTo(List.of("verify-failed", "verify-failed")));
        Api.as(Tokens.owner(account))
                .queryParam("type", "lockout", "verify-succeeded")
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .body("items.type", equalTo(List.of("verify-succeeded", "lockout")));
    }

    @Test
    void typeFilterAppliesAcrossPages() {
        String account = Accounts.fresh();
        for (int i = 0; i < 6; i++) {
            RecordedEvents.record(log, account, SecurityEventType.VERIFY_FAILED);
            RecordedEvents.record(log, account, SecurityEventType.VERIFY_SUCCEEDED);
        }
        JsonPath first = Api.as(Tokens.owner(account))
                .queryParam("type", "verify-failed")
                .queryParam("limit", 4)
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        JsonPath second = Api.as(Tokens.owner(account))
                .queryParam("type", "verify-failed")
                .queryParam("limit", 4)
                .queryParam("before", first.getString("next"))
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertEquals(
                List.of("verify-failed", "verify-failed", "verify-failed", "verify-failed"),
                first.getList("items.type"));
        assertEquals(List.of("verify-failed", "verify-failed"), second.getList("items.type"));
        assertNull(second.getString("next"));
    }

    @Test
    void adminReadsAnyAccount() {
        String account = Accounts.fresh();
        RecordedEvents.record(log, account, SecurityEventType.TWO_FACTOR_ENABLED);
        Api.as(Tokens.admin())
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .body("items.type", equalTo(List.of("two-factor-enabled")));
    }

    @Test
    void anotherOwnersTokenGetsNotFound() {
        String account = Accounts.fresh();
        RecordedEvents.record(log, account, SecurityEventType.TWO_FACTOR_ENABLED);
        assertProblem(
                Api.as(Tokens.owner(Accounts.fresh()))
                        .get("/v1/accounts/{id}/security-events", account)
                        .then(),
                404,
                "not-found");
    }

    @Test
    void mailServerTokenIsForbidden() {
        assertProblem(
                Api.as(Tokens.mailServer())
                        .get("/v1/accounts/{id}/security-events", Accounts.fresh())
                        .then(),
                403,
                "forbidden");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"not-a-cursor!", "MTIz", "YmVmb3JlOi0x", "YmVmb3JlOmFiYw", "YmVmb3JlOjk5OTk5OTk5OTk5OTk5OTk5OTk5"
            })
    void foreignCursorIsAValidationFailure(String cursor) {
        String account = Accounts.fresh();
        assertProblem(
                Api.as(Tokens.owner(account))
                        .queryParam("before", cursor)
                        .get("/v1/accounts/{id}/security-events", account)
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void cursorsAreOpaqueTokensOfThisService() {
        assertEquals("before:-1", new String(Base64.getUrlDecoder().decode("YmVmb3JlOi0x"), StandardCharsets.US_ASCII));
        assertEquals(4812, EventCursor.decode(EventCursor.encode(4812)));
    }

    @Test
    void unknownTypeIsAValidationFailure() {
        String account = Accounts.fresh();
        assertProblem(
                Api.hostile(Tokens.owner(account))
                        .queryParam("type", "password-stolen")
                        .get("/v1/accounts/{id}/security-events", account)
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void limitOutsideTheContractIsAValidationFailure() {
        String account = Accounts.fresh();
        assertProblem(
                Api.hostile(Tokens.owner(account))
                        .queryParam("limit", 201)
                        .get("/v1/accounts/{id}/security-events", account)
                        .then(),
                400,
                "validation-failed");
    }

    private static JsonPath page(String account, int limit, String before) {
        var request = Api.as(Tokens.owner(account)).queryParam("limit", limit);
        if (before != null) {
            request.queryParam("before", before);
        }
        return request.get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<String> allIds(String account, int limit) {
        return page(account, limit, null).getList("items.id");
    }
}
