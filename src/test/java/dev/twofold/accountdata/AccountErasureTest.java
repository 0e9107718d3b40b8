package dev.twofold.accountdata;

import static dev.twofold.testing.Passcodes.decide;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.twofold.testing.AccountInOwnDomain;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Schema;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import dev.twofold.testing.TwoFactorSteps;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DELETE /v1/admin/accounts/{accountId}: nothing about the account is left in any table. */
@QuarkusTest
class AccountErasureTest {

    private static final String ERASE = "/v1/admin/accounts/{id}";

    @Inject
    TestClock clock;

    @RegisterExtension
    final AccountInOwnDomain fixture = new AccountInOwnDomain();

    private final String domain = fixture.domain();
    private final String account = fixture.account();

    @Test
    void erasureLeavesNoRowNamingTheAccountInAnyTable() {
        storeSomethingInEveryTable();
        assertTrue(!rowsNaming(account).isEmpty(), "the fixture must leave rows to erase");

        Api.as(Tokens.admin()).delete(ERASE, account).then().statusCode(204);

        assertEquals(List.of(), rowsNaming(account));
        Api.as(Tokens.admin())
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .body("enabled", equalTo(false))
                .body("appPasscodes.active", equalTo(0));
    }

    @Test
    void anErasedAccountsPasscodeIsNoLongerAcceptedOnTheNextLogin() {
        String passcode = Passcodes.create(account, "Phone").passcode();
        decide(account, passcode, "imap", "198.51.100.23").body("decision", equalTo("accept"));

        Api.as(Tokens.admin()).delete(ERASE, account).then().statusCode(204);

        // No longer a passcode of anyone: the mail server checks it as a password, which it is not.
        decide(account, passcode, "imap", "198.51.100.23").body("decision", equalTo("use-password"));
    }

    @Test
    void anErasedAccountAppearsAnewUnderItsDomainPolicy() {
        fixture.assertAppearsAnewAfter(
                () -> Api.as(Tokens.admin()).delete(ERASE, account).then().statusCode(204));
    }

    @Test
    void erasingAnUnknownAccountSucceedsAndAHelpdeskOfAnotherDomainCannot() {
        Api.as(Tokens.admin()).delete(ERASE, Accounts.fresh()).then().statusCode(204);
        Passcodes.create(account, "Phone");
        Api.as(Tokens.adminOf("a.example")).delete(ERASE, account).then().statusCode(404);
        assertTrue(!rowsNaming(account).isEmpty());
    }

    private void storeSomethingInEveryTable() {
        Api.as(Tokens.admin())
                .body(Map.of("twoFactor", "required"))
                .put("/v1/admin/domains/{domain}/policy", domain)
                .then()
                .statusCode(200);
        TwoFactorSteps.fixAtStepStart(clock);
        TwoFactorSteps.Enabled enabled = TwoFactorSteps.enable(account, clock);
        String passcode = Passcodes.create(account, "Phone").passcode();
        decide(account, passcode, "imap", "198.51.100.23").body("decision", equalTo("accept"));
        Api.as(Tokens.owner(account))
                .body(Map.of("code", enabled.codeAfter(1), "trustDevice", true))
                .post("/v1/accounts/{id}/two-factor/verify", account)
                .then()
                .statusCode(200);
        // Webhooks are off in tests: queue a delivery as the outbox would, for an event of the account.
        Jdbc.update(
                "insert into webhook_delivery (id, event_id, payload, created_at, next_attempt_at)"
                        + " select gen_random_uuid(), id, json_build_object('accountId', account_id)::text, now(), now()"
                        + " from security_event where account_id = ? limit 1",
                account);
    }

    /**
     * Every row of every table with a column of a character or JSON type holding the account id,
     * read from the catalog so that a table added later is covered without touching this test.
     */
    private static List<String> rowsNaming(String account) {
        List<String> found = new ArrayList<>();
        for (Schema.Column column : Schema.columnsOfType("character varying", "text", "character", "jsonb", "json")) {
            String sql = "select count(*) from \"" + column.table() + "\" where position(? in \"" + column.name()
                    + "\"::text) > 0";
            long rows = Jdbc.count(sql, account);
            if (rows > 0) {
                found.add(column + ": " + rows);
            }
        }
        return found;
    }
}
