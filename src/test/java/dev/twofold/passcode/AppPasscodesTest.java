package dev.twofold.passcode;

import static dev.twofold.testing.Passcodes.decide;
import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.ConfigProblems;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Schema;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The app passcode life cycle through /v1/accounts/{accountId}/app-passcodes. */
@QuarkusTest
class AppPasscodesTest {

    private static final String COLLECTION = "/v1/accounts/{id}/app-passcodes";
    private static final String ONE = "/v1/accounts/{id}/app-passcodes/{pid}";

    @Inject
    TestClock clock;

    private final String account = Accounts.fresh();
    private final String owner = Tokens.owner(account);

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void createdPasscodeIsShownOnceWithItsLocation() {
        ExtractableResponse<Response> created = Api.as(owner)
                .body(Map.of("name", "Thunderbird", "protocols", List.of("imap", "smtp")))
                .post(COLLECTION, account)
                .then()
                .statusCode(201)
                .body("passcode", matchesPattern("^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$"))
                .body("name", equalTo("Thunderbird"))
                .body("protocols", containsInAnyOrder("imap", "smtp"))
                .body("$", not(hasKey("allowedIps")))
                .body("$", not(hasKey("expiresAt")))
                .extract();
        String id = created.path("id");
        assertEquals(
                "/v1/accounts/" + account + "/app-passcodes/" + id,
                java.net.URI.create(created.header("Location")).getPath());
        String passcode = created.path("passcode");

        String list = Api.as(owner)
                .get(COLLECTION, account)
                .then()
                .statusCode(200)
                .body("items.id", contains(id))
                .body("items[0]", not(hasKey("passcode")))
                .extract()
                .asString();
        String one = Api.as(owner)
                .get(ONE, account, id)
                .then()
                .statusCode(200)
                .body("name", equalTo("Thunderbird"))
                .body("$", not(hasKey("lastUsedAt")))
                .extract()
                .asString();
        for (String body : List.of(list, one)) {
            assertFalse(body.contains(passcode) || body.contains(passcode.replace(" ", "")));
        }
    }

    @Test
    void passcodeIsNeverStoredInPlainForm() {
        Passcodes.Created created = Passcodes.create(account, "Stored");
        decide(account, created.passcode(), "imap", "198.51.100.23");
        String bare = created.passcode().replace(" ", "");
        for (Schema.Column column :
                Schema.columnsOfType("text", "character varying", "character", "jsonb", "json", "bytea")) {
            String sql = "select count(*) from \"" + column.table() + "\" where position(? in lower(cast(\""
                    + column.name() + "\" as text))) > 0 or position(? in lower(cast(\"" + column.name()
                    + "\" as text))) > 0";
            assertEquals(0, Jdbc.count(sql, bare, created.passcode()), column.toString());
        }
        List<Object[]> stored = Jdbc.query("select passcode_hash from app_passcode where id = ?", created.id());
        assertEquals(true, ((String) stored.get(0)[0]).startsWith("$argon2id$"));
    }

    @Test
    void networksAreCanonicalised() {
        Api.as(owner)
                .body(Map.of(
                        "name",
                        "Office",
                        "allowedIps",
                        List.of("198.51.100.7/24", "2001:DB8:0:0::/32", "10.0.0.1", "::ffff:192.0.2.0/120")))
                .post(COLLECTION, account)
                .then()
                .statusCode(201)
                .body("allowedIps", contains("198.51.100.0/24", "2001:db8::/32", "10.0.0.1/32", "192.0.2.0/24"));
    }

    @Test
    void invalidNetworkIsRefused() {
        for (String network : List.of("198.51.100.0/33", "2001:db8::/129", "1.2.3", "256.1.1.1", "::ffff:1.2.3.4/64")) {
            assertProblem(
                    Api.as(owner)
                            .body(Map.of("name", "Bad", "allowedIps", List.of(network)))
                            .post(COLLECTION, account)
                            .then(),
                    400,
                    "validation-failed");
        }
    }

    @Test
    void expiryMustLieInTheFuture() {
        assertProblem(
                Api.as(owner)
                        .body(Map.of("name", "Late", "expiresAt", "2020-01-01T00:00:00Z"))
                        .post(COLLECTION, account)
                        .then(),
                400,
                "validation-failed");
    }

    @Test
    void creationNeedsARecentSignInAndIsNeverForAdmins() {
        String stale = Tokens.ownerSignedInAt(account, Instant.now().minus(Duration.ofMinutes(30)));
        assertProblem(
                Api.as(stale)
                        .body(Map.of("name", "Phone"))
                        .post(COLLECTION, account)
                        .then(),
                403,
                "reauthentication-required");
        // A helpdesk must never obtain a user's credential.
        assertProblem(
                Api.as(Tokens.admin())
                        .body(Map.of("name", "Phone"))
                        .post(COLLECTION, account)
                        .then(),
                403,
                "forbidden");
        Api.as(owner).get(COLLECTION, account).then().body("items", org.hamcrest.Matchers.empty());
    }

    /** mp.jwt.verify.clock.skew is 30 s: a sign-in "later" than that proves nothing about the last minutes. */
    @Test
    void creationRefusesASignInInTheFutureBeyondTheClockSkew() {
        Instant now = Instant.now();
        clock.fix(now);
        String forged = Tokens.ownerSignedInAt(account, now.plus(Duration.ofDays(11)));
        assertProblem(
                Api.as(forged)
                        .body(Map.of("name", "Phone"))
                        .post(COLLECTION, account)
                        .then(),
                403,
                "reauthentication-required");
        assertProblem(
                Api.as(Tokens.ownerSignedInAt(account, now.plusSeconds(31)))
                        .body(Map.of("name", "Phone"))
                        .post(COLLECTION, account)
                        .then(),
                403,
                "reauthentication-required");
        Api.as(owner).get(COLLECTION, account).then().body("items", org.hamcrest.Matchers.empty());

        Api.as(Tokens.ownerSignedInAt(account, now.plusSeconds(25)))
                .body(Map.of("name", "Phone"))
                .post(COLLECTION, account)
                .then()
                .statusCode(201);
    }

    /** Names flow into logs and webhook e-mails: a line break in one would forge a line there. */
    @ParameterizedTest
    @MethodSource("dev.twofold.testing.HostileNames#withControlCharacters")
    void namesWithControlCharactersAreRefusedOnCreationAndRename(String name) {
        assertProblem(
                        Api.hostile(owner)
                                .contentType(ContentType.JSON)
                                .body(Map.of("name", name))
                                .post(COLLECTION, account)
                                .then(),
                        400,
                        "validation-failed")
                .body("errors.field", contains("name"));
        Passcodes.Created created = Passcodes.create(account, "Phone");
        assertProblem(
                        Api.hostile(owner)
                                .contentType(ContentType.JSON)
                                .body(Map.of("name", name))
                                .patch(ONE, account, created.id())
                                .then(),
                        400,
                        "validation-failed")
                .body("errors.field", contains("name"));
        Api.as(owner).get(COLLECTION, account).then().body("items.name", contains("Phone"));
    }

    @Test
    void namesMayHoldAnyPrintableTextIncludingEmojiSequences() {
        String name = "Kate\u2019s iPad \uD83D\uDC68\u200D\uD83D\uDCBB (\u05e2\u05d1\u05e8\u05d9\u05ea)";
        Passcodes.Created created = Passcodes.create(account, name);
        assertEquals(name, created.name());
    }

    @Test
    void otherAccountsAndMailServersCannotManagePasscodes() {
        Passcodes.Created created = Passcodes.create(account, "Phone");
        String stranger = Tokens.owner(Accounts.fresh());
        assertProblem(Api.as(stranger).get(COLLECTION, account).then(), 404, "not-found");
        assertProblem(Api.as(stranger).delete(ONE, account, created.id()).then(), 404, "not-found");
        assertProblem(Api.as(Tokens.mailServer()).get(COLLECTION, account).then(), 403, "forbidden");
    }

    @Test
    void namesAreUniqueAmongActivePasscodesIgnoringCase() {
        Passcodes.Created first = Passcodes.create(account, "iPhone");
        assertProblem(
                Api.as(owner)
                        .body(Map.of("name", "IPHONE"))
                        .post(COLLECTION, account)
                        .then(),
                409,
                "duplicate-name");
        Api.as(owner).delete(ONE, account, first.id()).then().statusCode(204);
        Passcodes.create(account, "IPHONE");
    }

    @Test
    void limitOfActivePasscodesIsEnforced() {
        for (int i = 0; i < 25; i++) {
            Passcodes.create(account, "Device " + i);
        }
        assertProblem(
                Api.as(owner)
                        .body(Map.of("name", "One too many"))
                        .post(COLLECTION, account)
                        .then(),
                422,
                "passcode-limit-reached");
    }

    @Test
    void listShowsActivePasscodesNewestFirst() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(now);
        Passcodes.Created older = Passcodes.create(account, "Older");
        clock.fix(now.plusSeconds(1));
        Passcodes.Created newer = Passcodes.create(account, "Newer");
        clock.fix(now.plusSeconds(2));
        Passcodes.Created revoked = Passcodes.create(account, "Revoked");
        Api.as(owner).delete(ONE, account, revoked.id()).then().statusCode(204);
        Api.as(owner)
                .get(COLLECTION, account)
                .then()
                .statusCode(200)
                .body("items.name", contains(newer.name(), older.name()));
        assertProblem(Api.as(owner).get(ONE, account, revoked.id()).then(), 404, "not-found");
    }

    @Test
    void renameChangesTheNameOnly() {
        Passcodes.Created phone = Passcodes.create(account, Map.of("name", "Phone", "protocols", List.of("imap")));
        Passcodes.create(account, "Laptop");
        Api.as(owner)
                .body(Map.of("name", "Work phone"))
                .patch(ONE, account, phone.id())
                .then()
                .statusCode(200)
                .body("name", equalTo("Work phone"))
                .body("protocols", contains("imap"));
        assertProblem(
                Api.as(owner)
                        .body(Map.of("name", "laptop"))
                        .patch(ONE, account, phone.id())
                        .then(),
                409,
                "duplicate-name");
        assertProblem(
                Api.as(owner)
                        .body(Map.of("name", "Ghost"))
                        .patch(ONE, account, java.util.UUID.randomUUID())
                        .then(),
                404,
                "not-found");
        assertEquals(
                List.of("Phone", "Work phone"),
                Arrays.asList(Jdbc.query(
                                "select detail->>'previousName', detail->>'passcodeName' from security_event"
                                        + " where account_id = ? and type = 'passcode-renamed'",
                                account)
                        .get(0)));
    }

    @Test
    void revokingTwiceIsNotFound() {
        Passcodes.Created created = Passcodes.create(account, "Phone");
        Api.as(owner).delete(ONE, account, created.id()).then().statusCode(204);
        assertProblem(Api.as(owner).delete(ONE, account, created.id()).then(), 404, "not-found");
    }

    @Test
    void revokeAllNeedsARecentSignInAndRevokesEveryPasscode() {
        Passcodes.create(account, "One");
        Passcodes.create(account, "Two");
        String stale = Tokens.ownerSignedInAt(account, Instant.now().minus(Duration.ofMinutes(30)));
        assertProblem(Api.as(stale).delete(COLLECTION, account).then(), 403, "reauthentication-required");
        Api.as(owner).delete(COLLECTION, account).then().statusCode(204);
        Api.as(owner).get(COLLECTION, account).then().body("items", org.hamcrest.Matchers.empty());
        Api.as(owner).delete(COLLECTION, account).then().statusCode(204);
        assertEquals(
                2,
                Jdbc.count(
                        "select count(*) from security_event where account_id = ?"
                                + " and type = 'passcode-revoked' and detail->>'reason' = 'revoke-all'",
                        account));
    }

    @Test
    void passwordChangeRevokesEveryPasscode() {
        Passcodes.Created created = Passcodes.create(account, "Phone");
        assertProblem(
                Api.as(owner)
                        .post("/v1/accounts/{id}/password-changes", account)
                        .then(),
                403,
                "forbidden");
        Api.as(Tokens.mailServer())
                .post("/v1/accounts/{id}/password-changes", account.toUpperCase(Locale.ROOT))
                .then()
                .statusCode(204);
        assertProblem(Api.as(owner).get(ONE, account, created.id()).then(), 404, "not-found");
        assertEquals(
                1,
                Jdbc.count(
                        "select count(*) from security_event where account_id = ?"
                                + " and type = 'passcode-revoked' and detail->>'reason' = 'password-change'",
                        account));
        assertEquals(
                "password-change",
                Jdbc.query("select revoked_reason from app_passcode where id = ?", created.id())
                        .get(0)[0]);
    }

    @Test
    void lifeCycleIsRecordedAsSecurityEvents() {
        Passcodes.Created created = Passcodes.create(account, "Phone");
        Api.as(owner).delete(ONE, account, created.id()).then().statusCode(204);
        List<Object[]> events = Jdbc.query(
                "select type, detail->>'passcodeId', detail->>'passcodeName', detail->>'reason'"
                        + " from security_event where account_id = ? order by id",
                account);
        assertEquals(2, events.size());
        assertEquals(
                Arrays.asList("passcode-created", created.id().toString(), "Phone", null),
                Arrays.asList(events.get(0)));
        assertEquals("passcode-revoked", events.get(1)[0]);
        assertEquals(null, events.get(1)[3]);
    }

    @Test
    void expiredPasscodesDropOutOfTheListAndAreMarkedWithAnEvent() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(now);
        Passcodes.create(
                account,
                Map.of(
                        "name",
                        "Trial",
                        "expiresAt",
                        now.plus(Duration.ofHours(1)).toString()));
        Passcodes.Created unused = Passcodes.create(account, "Forgotten");
        clock.fix(now.plus(Duration.ofHours(1)));
        Api.as(owner).get(COLLECTION, account).then().body("items.name", contains("Forgotten"));
        clock.fix(now.plus(Duration.ofDays(90)));
        Api.as(owner).get(COLLECTION, account).then().body("items", org.hamcrest.Matchers.empty());
        Api.as(owner).get("/v1/accounts/{id}/two-factor", account).then().body("appPasscodes.active", equalTo(0));
        // Creating sweeps the account's expired passcodes, which frees their names. (A sign-in by
        // this clock: the step-up check measures auth_time against it.)
        Api.as(Tokens.ownerSignedInAt(account, clock.instant()))
                .body(Map.of("name", "Trial"))
                .post(COLLECTION, account)
                .then()
                .statusCode(201);
        assertEquals(
                2,
                Jdbc.count(
                        "select count(*) from security_event where account_id = ?" + " and type = 'passcode-expired'",
                        account));
        assertEquals(
                "expired",
                Jdbc.query("select revoked_reason from app_passcode where id = ?", unused.id())
                        .get(0)[0]);
        decide(account, unused.passcode(), "imap", null).body("reason", equalTo("expired"));
    }

    @Test
    void unknownPasscodeIsNotFound() {
        assertProblem(
                Api.as(owner).get(ONE, account, java.util.UUID.randomUUID()).then(), 404, "not-found");
        Api.as(owner)
                .get(COLLECTION, account)
                .then()
                .body("items", org.hamcrest.Matchers.empty())
                .body("$", not(hasKey("next")))
                .body("items", not(nullValue()));
    }

    @Test
    void idThatIsNotAUuidIsNotFound() {
        String token = Tokens.owner(account);
        assertProblem(Api.hostile(token).get(ONE, account, "not-a-uuid").then(), 404, "not-found");
        assertProblem(Api.hostile(token).delete(ONE, account, "1' or '1'='1").then(), 404, "not-found");
        assertProblem(
                Api.hostile(token)
                        .contentType("application/json")
                        .body(Map.of("name", "x"))
                        .patch(ONE, account, "%00")
                        .then(),
                404,
                "not-found");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "twofold.app-passcodes.max-per-account, 0",
    })
    void zeroPasscodesPerAccountStopsTheBoot(String property, String value) {
        ConfigProblems.assertRefusedByName(AppPasscodeConfig.class, property, value);
    }
}
