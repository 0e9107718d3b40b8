package dev.twofold.testing;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.arc.Arc;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh account in a domain of its own, for a {@code @QuarkusTest} that sets the domain's policy
 * and fixes the clock: register it with {@code @RegisterExtension}, and after each test the policy
 * is removed (so it reaches no other test's account) and the clock follows real time again.
 */
public final class AccountInOwnDomain implements AfterEachCallback {

    private final String domain = Accounts.freshDomain();
    private final String account = Accounts.freshIn(domain);

    public String domain() {
        return domain;
    }

    public String account() {
        return account;
    }

    /**
     * The account first appears a day into the week of grace its domain's policy now gives; once
     * {@code erase} is done, it appears anew a day later, and its enrollment deadline moves by that day.
     */
    public void assertAppearsAnewAfter(Runnable erase) {
        TestClock clock = Arc.container().instance(TestClock.class).get();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.fix(start);
        Api.as(Tokens.admin())
                .body(Map.of("twoFactor", "required", "enrollmentGracePeriod", "P7D"))
                .put("/v1/admin/domains/{domain}/policy", domain)
                .then()
                .statusCode(200);
        clock.advance(Duration.ofDays(1));
        assertEnrollmentDeadline(start.plus(Duration.ofDays(8)));
        erase.run();
        clock.advance(Duration.ofDays(1));
        assertEnrollmentDeadline(start.plus(Duration.ofDays(9)));
    }

    /** Reading the status also records the account's first appearance. */
    private void assertEnrollmentDeadline(Instant deadline) {
        Api.as(Tokens.owner(account))
                .get("/v1/accounts/{id}/two-factor", account)
                .then()
                .statusCode(200)
                .body("policy.enrollmentDeadline", equalTo(deadline.toString()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Arc.container().instance(TestClock.class).get().reset();
        Api.as(Tokens.admin()).delete("/v1/admin/domains/{domain}/policy", domain);
    }
}
