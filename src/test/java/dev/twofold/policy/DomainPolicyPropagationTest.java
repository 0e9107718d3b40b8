package dev.twofold.policy;

import static dev.twofold.testing.Passcodes.decide;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.twofold.testing.AccountInOwnDomain;
import dev.twofold.testing.Api;
import dev.twofold.testing.Jdbc;
import dev.twofold.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A domain policy set or cleared on another replica applies to this one's very next mail login,
 * though this replica answers policies from memory; an account erased there appears anew here. The other replica is played by plain JDBC doing
 * what a replica does: write and NOTIFY in one transaction, then wait for this replica's
 * acknowledgement.
 */
@QuarkusTest
class DomainPolicyPropagationTest {

    private static final String APP_IP = "198.51.100.23";
    private static final String INSERT_MAIL_PASSWORD_NEVER = """
            insert into domain_policy (domain, two_factor, grace_seconds, mail_password, updated_at)
            values (?, 'optional', 0, 'never', now())""";

    @Inject
    DomainPolicies policies;

    @RegisterExtension
    final AccountInOwnDomain fixture = new AccountInOwnDomain();

    private final String domain = fixture.domain();
    private final String account = fixture.account();

    @BeforeEach
    void policiesInSync() {
        await("The credential change listener did not come up within 20 s")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(policies::inSync);
    }

    @Test
    void policySetByAnotherReplicaIsEnforcedOnTheNextLogin() {
        passwordIsAllowed();
        Jdbc.changeAsOtherReplica('d', domain, INSERT_MAIL_PASSWORD_NEVER, domain);
        passwordIsRefused();
    }

    @Test
    void policyClearedByAnotherReplicaNoLongerAppliesOnTheNextLogin() {
        Api.as(Tokens.admin())
                .body(Map.of("mailPassword", "never"))
                .put("/v1/admin/domains/{domain}/policy", domain)
                .then()
                .statusCode(200);
        passwordIsRefused();
        Jdbc.changeAsOtherReplica('d', domain, "delete from domain_policy where domain = ?", domain);
        passwordIsAllowed();
    }

    @Test
    void policyWrittenByHandIsHeldBackUntilTheChannelIsFlushed() {
        passwordIsAllowed();
        Jdbc.update(INSERT_MAIL_PASSWORD_NEVER, domain);
        // Proves the policies are answered from memory: the unnotified row is not seen.
        passwordIsAllowed();
        Jdbc.query("select cast(pg_notify('twofold_credentials', 'flush') as text)");
        await("the flush was not applied within 10 s")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> "reject"
                        .equals(decide(account, "primary password", "imap", APP_IP)
                                .extract()
                                .path("decision")));
    }

    @Test
    void accountErasedByAnotherReplicaAppearsAnewUnderThePolicyHere() {
        fixture.assertAppearsAnewAfter(() -> Jdbc.changeAsOtherReplica(
                'e', account, "delete from account_first_seen where account_id = ?", account));
    }

    private void passwordIsAllowed() {
        decide(account, "primary password", "imap", APP_IP).body("decision", equalTo("use-password"));
    }

    private void passwordIsRefused() {
        decide(account, "primary password", "imap", APP_IP)
                .body("decision", equalTo("reject"))
                .body("reason", equalTo("passcode-required"));
    }
}
