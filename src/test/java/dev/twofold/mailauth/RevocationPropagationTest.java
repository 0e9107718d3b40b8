package dev.twofold.mailauth;

import static dev.twofold.testing.Passcodes.decide;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.twofold.crypto.Argon2Hasher;
import dev.twofold.testing.Accounts;
import dev.twofold.testing.Api;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Passcodes;
import dev.twofold.testing.TestClock;
import dev.twofold.testing.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A revoked, renamed or otherwise changed passcode is refused (or renamed) on the very next login,
 * whichever replica made the change. The other replica is played by plain JDBC doing what a replica
 * does: change and NOTIFY in one transaction, then wait for this replica's acknowledgement.
 */
@QuarkusTest
class RevocationPropagationTest {

    @Inject
    MailLoginCache cache;

    @Inject
    Argon2Hasher argon2;

    @Inject
    TestClock clock;

    @TestHTTPResource("/v1/mail-auth/verify")
    URI verifyUri;

    private final String account = Accounts.fresh();

    @BeforeEach
    void cacheInSync() {
        CacheSync.await(cache);
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void revocationByAnotherReplicaIsEffectiveOnItsNextLogin() {
        Passcodes.Created passcode = warm(Passcodes.create(account, "Phone"));
        Jdbc.changeAsOtherReplica(
                'p',
                account,
                "update app_passcode set revoked_at = now(), revoked_reason = 'revoked' where id = ?",
                passcode.id());
        decide(account, passcode.passcode(), "imap", null)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("revoked"));
    }

    @Test
    void renameByAnotherReplicaIsEffectiveOnItsNextLogin() {
        Passcodes.Created passcode = warm(Passcodes.create(account, "Phone"));
        Jdbc.changeAsOtherReplica(
                'p', account, "update app_passcode set name = 'Old phone' where id = ?", passcode.id());
        decide(account, passcode.passcode(), "imap", null).body("credential.name", equalTo("Old phone"));
    }

    @Test
    void renameHereIsEffectiveOnTheNextLogin() {
        Passcodes.Created passcode = warm(Passcodes.create(account, "Phone"));
        Api.as(Tokens.owner(account))
                .body(java.util.Map.of("name", "Work phone"))
                .patch("/v1/accounts/{id}/app-passcodes/{pid}", account, passcode.id())
                .then()
                .statusCode(200);
        decide(account, passcode.passcode(), "imap", null).body("credential.name", equalTo("Work phone"));
    }

    @Test
    void revokeAllAndPasswordChangeAreEffectiveOnTheNextLogin() {
        Passcodes.Created first = warm(Passcodes.create(account, "One"));
        Passcodes.Created second = warm(Passcodes.create(account, "Two"));
        Api.as(Tokens.owner(account))
                .delete("/v1/accounts/{id}/app-passcodes", account)
                .then()
                .statusCode(204);
        decide(account, first.passcode(), "imap", null).body("reason", equalTo("revoked"));
        decide(account, second.passcode(), "imap", null).body("reason", equalTo("revoked"));

        Passcodes.Created third = warm(Passcodes.create(account, "Three"));
        Api.as(Tokens.mailServer())
                .post("/v1/accounts/{id}/password-changes", account)
                .then()
                .statusCode(204);
        decide(account, third.passcode(), "imap", null).body("reason", equalTo("revoked"));
    }

    @Test
    void changeMadeBehindTwofoldsBackIsSeenOnceTheCacheTtlPasses() {
        Passcodes.Created passcode = warm(Passcodes.create(account, "Phone"));
        Jdbc.update(
                "update app_passcode set revoked_at = now(), revoked_reason = 'revoked' where id = ?", passcode.id());
        clock.fix(java.time.Instant.now().plus(Duration.ofMinutes(5)));
        decide(account, passcode.passcode(), "imap", null).body("reason", equalTo("revoked"));
    }

    @Test
    void anyForeignNotificationEmptiesTheCache() {
        Passcodes.Created passcode = warm(Passcodes.create(account, "Phone"));
        Jdbc.changeAsOtherReplica('p', "somebody-else@example.com", "update app_passcode set name = name where false");
        long before = argon2.evaluations();
        decide(account, passcode.passcode(), "imap", null);
        assertEquals(0, argon2.evaluations() - before, "an unrelated account's change keeps this entry");
        Jdbc.update("update app_passcode set name = 'Renamed quietly' where id = ?", passcode.id());
        Jdbc.query("select cast(pg_notify('twofold_credentials', 'flush') as text)");
        awaitCacheEmpty();
        decide(account, passcode.passcode(), "imap", null).body("credential.name", equalTo("Renamed quietly"));
        assertEquals(0, argon2.evaluations() - before, "the value was verified before: no Argon2 again");
    }

    @Test
    void revokedPasscodeIsNeverAcceptedAfterDeleteReturnsUnderLoad() throws Exception {
        Passcodes.Created passcode = warm(Passcodes.create(account, "Phone"));
        LoginHammer.assertNoAcceptAfter(
                () -> Api.as(Tokens.owner(account))
                        .delete("/v1/accounts/{id}/app-passcodes/{pid}", account, passcode.id())
                        .then()
                        .statusCode(204),
                verifyUri,
                account,
                passcode.passcode());
    }

    @Test
    void passcodeRevokedByAnotherReplicaIsNeverAcceptedAfterItsWaitUnderLoad() throws Exception {
        Passcodes.Created passcode = warm(Passcodes.create(account, "Phone"));
        LoginHammer.assertNoAcceptAfter(
                () -> Jdbc.changeAsOtherReplica(
                        'p',
                        account,
                        "update app_passcode set revoked_at = now(), revoked_reason = 'revoked' where id = ?",
                        passcode.id()),
                verifyUri,
                account,
                passcode.passcode());
    }

    private Passcodes.Created warm(Passcodes.Created passcode) {
        decide(account, passcode.passcode(), "imap", "198.51.100.23").body("decision", equalTo("accept"));
        return passcode;
    }

    private void awaitCacheEmpty() {
        await("the flush did not empty the cache within 10 s")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> cache.size() == 0);
    }
}
