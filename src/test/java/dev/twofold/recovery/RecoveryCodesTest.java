package dev.twofold.recovery;

import static dev.twofold.testing.Problems.assertProblem;
import static dev.twofold.testing.TwoFactorSteps.enable;
import static dev.twofold.testing.TwoFactorSteps.eventTypes;
import static dev.twofold.testing.TwoFactorSteps.fixAtStepStart;
import static dev.twofold.testing.TwoFactorSteps.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.AssertionJwt;
import dev.twofold.testing.ConfigProblems;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.TestSql;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class RecoveryCodesTest {

    @Inject
    TestClock clock;

    @Inject
    Argon2Hasher argon2;

    private Instant start;

    @BeforeEach
    void fixClock() {
        start = fixAtStepStart(clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aRecoveryCodeWorksOnce() {
        String account = Accounts.fresh();
        List<String> codes = enable(account, clock).recoveryCodes();

        String assertion = verify(account, codes.get(3))
                .statusCode(200)
                .body("method", equalTo("recovery-code"))
                .body("recoveryCodesRemaining", equalTo(9))
                .extract()
                .path("assertion");

        AssertionJwt.check(assertion, account, "recovery", start);
        assertProblem(verify(account, codes.get(3)), 422, "invalid-code");
        status(account)
                .body("remaining", equalTo(9))
                .body("issued", equalTo(10))
                .body("generatedAt", equalTo(start.toString()));
        List<String> types = eventTypes(account);
        assertEquals(List.of("two-factor-enabled", "verify-succeeded", "recovery-code-used", "verify-failed"), types);
    }

    @Test
    void caseSpacesAndTheDashDoNotMatter() {
        String account = Accounts.fresh();
        List<String> codes = enable(account, clock).recoveryCodes();

        verify(account, codes.get(0).toUpperCase(Locale.ROOT)).statusCode(200);
        verify(account, codes.get(1).replace("-", "")).statusCode(200);
        verify(account, " " + codes.get(2).replace("-", " - ") + " ")
                .statusCode(200)
                .body("recoveryCodesRemaining", equalTo(7));
    }

    @Test
    void regenerationReplacesTheWholeSet() {
        String account = Accounts.fresh();
        List<String> old = enable(account, clock).recoveryCodes();
        verify(account, old.get(0)).statusCode(200);
        clock.advance(Duration.ofMinutes(1));

        List<String> fresh = Api.as(Tokens.owner(account))
                .post("/v1/accounts/{id}/two-factor/recovery-codes", account)
                .then()
                .statusCode(201)
                .body("codes", hasSize(10))
                .body("generatedAt", equalTo(clock.instant().toString()))
                .extract()
                .path("codes");

        assertTrue(Collections.disjoint(old, fresh));
        status(account)
                .body("remaining", equalTo(10))
                .body("issued", equalTo(10))
                .body("generatedAt", equalTo(clock.instant().toString()));
        assertProblem(verify(account, old.get(1)), 422, "invalid-code");
        verify(account, fresh.get(0)).statusCode(200).body("recoveryCodesRemaining", equalTo(9));
        assertTrue(eventTypes(account).contains("recovery-codes-regenerated"));
    }

    @Test
    void regenerationNeedsTwoFactorOn() {
        String account = Accounts.fresh();

        assertProblem(
                Api.as(Tokens.owner(account))
                        .post("/v1/accounts/{id}/two-factor/recovery-codes", account)
                        .then(),
                409,
                "two-factor-not-enabled");
        status(account).body("remaining", equalTo(0)).body("issued", equalTo(0)).body("generatedAt", nullValue());
    }

    @Test
    void fewCodesLeftIsRecordedAsAWarning() {
        String account = Accounts.fresh();
        List<String> codes = enable(account, clock).recoveryCodes();

        for (int used = 1; used <= 7; used++) {
            verify(account, codes.get(used - 1)).statusCode(200).body("recoveryCodesRemaining", equalTo(10 - used));
        }

        assertEquals(
                List.of("3"),
                TestSql.rows(
                                "select detail->>'remaining' as remaining from security_event"
                                        + " where account_id = ? and type = 'recovery-codes-low'",
                                account)
                        .stream()
                        .map(row -> row.get("remaining"))
                        .toList());
        verify(account, codes.get(7)).statusCode(200).body("recoveryCodesRemaining", equalTo(2));
        assertEquals(2, Collections.frequency(eventTypes(account), "recovery-codes-low"));
    }

    @Test
    void codesAreStoredOnlyAsHashes() {
        String account = Accounts.fresh();
        List<String> codes = enable(account, clock).recoveryCodes();

        List<Map<String, Object>> rows =
                TestSql.rows("select code_hash, lookup_hash from recovery_code where account_id = ?", account);
        assertEquals(10, rows.size());
        for (Map<String, Object> row : rows) {
            String phc = (String) row.get("code_hash");
            assertTrue(phc.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), phc);
            assertEquals(32, ((byte[]) row.get("lookup_hash")).length);
            for (String code : codes) {
                assertFalse(phc.contains(code) || phc.contains(code.replace("-", "")));
            }
        }
    }

    @Test
    void aCodeCostsOneArgon2EvaluationAndAnUnknownOneNone() {
        String account = Accounts.fresh();
        List<String> codes = enable(account, clock).recoveryCodes();

        long before = argon2.evaluations();
        assertProblem(verify(account, "zzzzz-zzzzz"), 422, "invalid-code");
        assertEquals(before, argon2.evaluations(), "no row matched, so no Argon2");

        verify(account, codes.get(0)).statusCode(200);
        assertEquals(before + 1, argon2.evaluations());

        assertProblem(verify(account, codes.get(0)), 422, "invalid-code");
        assertEquals(before + 1, argon2.evaluations(), "a used code is not checked again");
    }

    @Test
    void anotherAccountsCodeDoesNotWork() {
        String alice = Accounts.fresh();
        String bob = Accounts.fresh();
        enable(alice, clock);
        List<String> bobsCodes = enable(bob, clock).recoveryCodes();

        assertProblem(verify(alice, bobsCodes.get(0)), 422, "invalid-code");
        verify(bob, bobsCodes.get(0)).statusCode(200);
    }

    @Test
    void adminMayReadTheCounts() {
        String account = Accounts.fresh();
        enable(account, clock);

        Api.as(Tokens.admin())
                .get("/v1/accounts/{id}/two-factor/recovery-codes", account)
                .then()
                .statusCode(200)
                .body("remaining", equalTo(10));
    }

    private static ValidatableResponse status(String account) {
        return Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/two-factor/recovery-codes", account)
                .then()
                .statusCode(200);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "twofold.recovery-codes.regeneration.limit, 0",
        "twofold.recovery-codes.regeneration.window, PT0.5S",
    })
    void regenerationLimitBelowOneSetPerSecondStopsTheBoot(String property, String value) {
        ConfigProblems.assertRefusedByName(RecoveryCodeConfig.class, property, value);
    }
}
