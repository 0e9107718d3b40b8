package dev.twofold.totp;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Locale;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TwoFactorStatusTest {

    @Test
    void newAccountHasTwoFactorOffAndNothingIssued() {
        String account = Accounts.fresh();
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200)
                .body("accountId", equalTo(account))
                .body("enabled", equalTo(false))
                .body("pendingEnrollment", equalTo(false))
                .body("enabledAt", nullValue())
                .body("lockedUntil", nullValue())
                .body("recoveryCodes.remaining", equalTo(0))
                .body("recoveryCodes.issued", equalTo(0))
                .body("appPasscodes.active", equalTo(0));
    }

    @Test
    void accountIdIsNormalisedInTheAnswer() {
        String account = Accounts.fresh();
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/two-factor", "  " + account.toUpperCase(Locale.ROOT) + " ")
                .then()
                .statusCode(200)
                .body("accountId", equalTo(account));
    }
}
