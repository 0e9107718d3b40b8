package dev.twofold.device;

import static dev.twofold.testing.Problems.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.ConfigProblems;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class TrustedDevicesTest {

    private static final EventOrigin BROWSER = EventOrigin.web("203.0.113.77", "Firefox");

    @Inject
    TrustedDeviceService devices;

    @Inject
    TestClock clock;

    @Inject
    Pool database;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void trustedDeviceSatisfiesTheSecondFactorWithASignedAssertion() throws Exception {
        String account = Accounts.fresh();
        IssuedDevice device = trust(account, "Firefox on work laptop");

        JsonPath verified =
                verify(account, device.token()).statusCode(200).extract().jsonPath();

        assertEquals(device.id().toString(), verified.getString("deviceId"));
        assertEquals(device.expiresAt(), instant(verified.getString("trustedUntil")));
        JwtClaims claims = assertionClaims(verified.getString("assertion"));
        assertEquals(account, claims.getSubject());
        assertEquals(List.of("device"), claims.getStringListClaimValue("amr"));
        assertEquals("twofold", claims.getIssuer());
        assertEquals(List.of("webmail"), claims.getAudience());
        assertEquals(
                300,
                claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertNotNull(claims.getJwtId());

        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(device.id().toString()))
                .body("items[0].name", equalTo("Firefox on work laptop"))
                .body("items[0].createdIp", equalTo("203.0.113.77"))
                .body("items[0].lastUsedAt", equalTo(verified.getString("verifiedAt")));
        events(account)
                .body("items.type", equalTo(List.of("trusted-device-used", "trusted-device-added")))
                .body("items[0].detail.deviceId", equalTo(device.id().toString()))
                .body("items[1].detail.deviceName", equalTo("Firefox on work laptop"));
    }

    @Test
    void deviceIsTrustedForThirtyDaysByDefault() {
        Instant now = Instant.parse("2026-11-23T10:02:19Z");
        clock.fix(now);
        String account = Accounts.fresh();
        IssuedDevice device = trust(account, "Laptop");
        assertEquals(now.plus(Duration.ofDays(30)), device.expiresAt());

        clock.advance(Duration.ofDays(30).minusSeconds(1));
        verify(account, device.token()).statusCode(200);

        clock.advance(Duration.ofSeconds(1));
        assertProblem(verify(account, device.token()), 422, "invalid-device-token");
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
    }

    @Test
    void forgottenDeviceIsRefusedAndCannotBeForgottenTwice() {
        String account = Accounts.fresh();
        IssuedDevice forgotten = trust(account, "Old phone");
        IssuedDevice kept = trust(account, "Laptop");

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/trusted-devices/{deviceId}", account, forgotten.id())
                .then()
                .statusCode(204);

        assertProblem(verify(account, forgotten.token()), 422, "invalid-device-token");
        verify(account, kept.token()).statusCode(200);
        assertProblem(
                Api.as(Tokens.owner(account))
                        .delete("/v1/accounts/{id}/trusted-devices/{deviceId}", account, forgotten.id())
                        .then(),
                404,
                "not-found");
        events(account)
                .body(
                        "items.type",
                        equalTo(List.of(
                                "trusted-device-used",
                                "verify-failed",
                                "trusted-device-revoked",
                                "trusted-device-added",
                                "trusted-device-added")))
                .body("items[2].detail.deviceId", equalTo(forgotten.id().toString()))
                .body("items[2].detail.deviceName", equalTo("Old phone"));
    }

    @Test
    void forgettingAllRevokesEveryDeviceAndIsIdempotent() {
        String account = Accounts.fresh();
        IssuedDevice first = trust(account, "Laptop");
        IssuedDevice second = trust(account, "Phone");

        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .statusCode(204);
        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .statusCode(204);

        assertProblem(verify(account, first.token()), 422, "invalid-device-token");
        assertProblem(verify(account, second.token()), 422, "invalid-device-token");
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        Api.as(Tokens.owner(account))
                .queryParam("type", "trusted-device-revoked")
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].detail.count", equalTo("2"));
    }

    @Test
    void disablingTwoFactorCanForgetAllDevicesThroughTheService() {
        String account = Accounts.fresh();
        IssuedDevice device = trust(account, null);

        await(() -> devices.forgetAll(AccountId.of(account), BROWSER));

        assertProblem(verify(account, device.token()), 422, "invalid-device-token");
    }

    @Test
    void unknownTokenIsRefusedWithoutEchoingItAndRecordedAsFailedVerification() {
        String account = Accounts.fresh();
        trust(account, "Laptop");
        String guess = "IsHeRqLlInaF_sPI1kJfx9KSI_H_dUTDGSFYGhyemQo";

        assertProblem(verify(account, guess), 422, "invalid-device-token").body("detail", not(containsString(guess)));
        events(account)
                .body("items[0].type", equalTo("verify-failed"))
                .body("items[0].detail.method", equalTo("trusted-device"));
    }

    @Test
    void tokenOfAnotherAccountIsRefused() {
        String owner = Accounts.fresh();
        String other = Accounts.fresh();
        IssuedDevice device = trust(owner, "Laptop");

        assertProblem(verify(other, device.token()), 422, "invalid-device-token");
        verify(owner, device.token()).statusCode(200);
    }

    @Test
    void adminListsAndForgetsAnyAccountsDevices() {
        String account = Accounts.fresh();
        IssuedDevice device = trust(account, "Laptop");

        Api.as(Tokens.admin())
                .get("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .statusCode(200)
                .body("items.id", equalTo(List.of(device.id().toString())));
        Api.as(Tokens.admin())
                .delete("/v1/accounts/{id}/trusted-devices/{deviceId}", account, device.id())
                .then()
                .statusCode(204);
        assertProblem(verify(account, device.token()), 422, "invalid-device-token");
    }

    /** Checked before the code: no device is trusted under a name that would break log lines. */
    @ParameterizedTest
    @MethodSource("dev.twofold.testing.HostileNames#withControlCharacters")
    void deviceNamesWithControlCharactersAreRefused(String name) {
        String account = Accounts.fresh();
        assertProblem(
                        Api.hostile(Tokens.owner(account))
                                .contentType(io.restassured.http.ContentType.JSON)
                                .body(Map.of("code", "123456", "trustDevice", true, "deviceName", name))
                                .post("/v1/accounts/{id}/two-factor/verify", account)
                                .then(),
                        400,
                        "validation-failed")
                .body("errors.field", org.hamcrest.Matchers.contains("deviceName"));
        // A printable name passes validation and reaches the (here: absent) second factor.
        assertProblem(
                Api.as(Tokens.owner(account))
                        .body(Map.of("code", "123456", "trustDevice", true, "deviceName", "Firefox \u2014 work"))
                        .post("/v1/accounts/{id}/two-factor/verify", account)
                        .then(),
                409,
                "two-factor-not-enabled");
    }

    @Test
    void anotherOwnerFindsNothing() {
        String account = Accounts.fresh();
        IssuedDevice device = trust(account, "Laptop");
        String stranger = Tokens.owner(Accounts.fresh());

        assertProblem(
                Api.as(stranger)
                        .get("/v1/accounts/{id}/trusted-devices", account)
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.as(stranger)
                        .body(Map.of("deviceToken", device.token()))
                        .post("/v1/accounts/{id}/trusted-devices/verify", account)
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.as(stranger)
                        .delete("/v1/accounts/{id}/trusted-devices/{deviceId}", account, device.id())
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.as(stranger)
                        .delete("/v1/accounts/{id}/trusted-devices", account)
                        .then(),
                404,
                "not-found");
        verify(account, device.token()).statusCode(200);
    }

    @Test
    void neitherMailServersNorAdminsMayTurnADeviceTokenIntoAnAssertion() {
        String account = Accounts.fresh();
        IssuedDevice device = trust(account, "Laptop");

        for (String token : new String[] {Tokens.mailServer(), Tokens.admin()}) {
            assertProblem(
                    Api.as(token)
                            .body(Map.of("deviceToken", device.token()))
                            .post("/v1/accounts/{id}/trusted-devices/verify", account)
                            .then(),
                    403,
                    "forbidden");
        }
        assertProblem(
                Api.as(Tokens.mailServer())
                        .get("/v1/accounts/{id}/trusted-devices", account)
                        .then(),
                403,
                "forbidden");
        // The refused calls did not use the device.
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .body("items[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("lastUsedAt")));
        verify(account, device.token()).statusCode(200);
    }

    @Test
    void forgettingAnUnknownDeviceIsNotFound() {
        String account = Accounts.fresh();
        assertProblem(
                Api.as(Tokens.owner(account))
                        .delete("/v1/accounts/{id}/trusted-devices/{deviceId}", account, UUID.randomUUID())
                        .then(),
                404,
                "not-found");
        assertProblem(
                Api.hostile(Tokens.owner(account))
                        .delete("/v1/accounts/{id}/trusted-devices/{deviceId}", account, "not-a-uuid")
                        .then(),
                404,
                "not-found");
    }

    @Test
    void listIsMostRecentlyUsedFirst() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(start);
        String account = Accounts.fresh();
        IssuedDevice older = trust(account, "Older");
        clock.advance(Duration.ofMinutes(1));
        IssuedDevice newer = trust(account, "Newer");
        clock.advance(Duration.ofMinutes(1));
        verify(account, older.token()).statusCode(200);

        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/trusted-devices", account)
                .then()
                .statusCode(200)
                .body(
                        "items.id",
                        equalTo(List.of(older.id().toString(), newer.id().toString())))
                .body("items[1].lastUsedAt", nullValue());
    }

    @Test
    void tokenIsStoredOnlyAsAKeyedHash() {
        String account = Accounts.fresh();
        IssuedDevice device = trust(account, "Laptop");
        verify(account, device.token()).statusCode(200);

        Row row = database.preparedQuery("select * from trusted_device where id = $1")
                .execute(Tuple.of(device.id()))
                .await()
                .indefinitely()
                .iterator()
                .next();
        assertEquals(32, row.getBuffer("lookup_hash").length());
        assertFalse(row.toJson().encode().contains(device.token()));
        assertFalse(new String(row.getBuffer("lookup_hash").getBytes(), StandardCharsets.ISO_8859_1)
                .contains(device.token()));
        String events = database.preparedQuery(
                        "select coalesce(string_agg(concat_ws('|', type, ip, user_agent, detail::text), ';'), '') "
                                + "from security_event where account_id = $1")
                .execute(Tuple.of(account))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getString(0);
        assertFalse(events.isEmpty());
        assertFalse(events.contains(device.token()));
    }

    private IssuedDevice trust(String account, String name) {
        return await(() -> devices.trust(AccountId.of(account), Optional.ofNullable(name), BROWSER));
    }

    private static ValidatableResponse verify(String account, String token) {
        return Api.as(Tokens.owner(account))
                .body(Map.of("deviceToken", token))
                .post("/v1/accounts/{id}/trusted-devices/verify", account)
                .then();
    }

    private static ValidatableResponse events(String account) {
        return Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200);
    }

    private JwtClaims assertionClaims(String assertion) throws Exception {
        PublicKey key = KeyUtils.readPublicKey("keys/assertion-public.pem", SignatureAlgorithm.ES256);
        return new JwtConsumerBuilder()
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setExpectedIssuer("twofold")
                .setExpectedAudience("webmail")
                .setRequireExpirationTime()
                .setRequireJwtId()
                .setEvaluationTime(NumericDate.fromSeconds(clock.instant().getEpochSecond()))
                .build()
                .processToClaims(assertion);
    }

    private static Instant instant(String rfc3339) {
        return OffsetDateTime.parse(rfc3339).toInstant();
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work::get);
        } catch (Throwable e) {
            throw new IllegalStateException("The service call failed", e);
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "twofold.trusted-devices.lifetime, 59S",
        "twofold.trusted-devices.lifetime, 401D",
    })
    void lifetimeOutsideOneMinuteTo400DaysStopsTheBoot(String property, String value) {
        ConfigProblems.assertRefusedByName(TrustedDeviceConfig.class, property, value);
    }
}
