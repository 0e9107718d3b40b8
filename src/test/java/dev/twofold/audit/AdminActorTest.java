package dev.twofold.audit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** An admin's action names the admin (its token's sub) in the event; the owner's own action names nobody. */
@QuarkusTest
class AdminActorTest {

    private final String account = Accounts.fresh();

    @Test
    void aHelpdeskRevocationRecordsTheHelpdeskAsActor() {
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        Api.as(Tokens.adminOf("example.com"))
                .delete("/v1/accounts/{id}/app-passcodes/{passcode}", account, passcode.id())
                .then()
                .statusCode(204);
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .statusCode(200)
                .body("items[0].type", equalTo("passcode-revoked"))
                .body("items[0].actor", equalTo("helpdesk-of-example.com"))
                .body("items[1].type", equalTo("passcode-created"))
                .body("items[1].actor", nullValue());
    }

    @Test
    void theOwnersOwnRevocationNamesNoActor() {
        Passcodes.Created passcode = Passcodes.create(account, "Phone");
        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/app-passcodes/{passcode}", account, passcode.id())
                .then()
                .statusCode(204);
        Api.as(Tokens.admin())
                .get("/v1/accounts/{id}/security-events", account)
                .then()
                .body("items[0].type", equalTo("passcode-revoked"))
                .body("items[0].actor", nullValue());
    }
}
