package dev.twofold.testing;

import io.quarkus.arc.Arc;
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

    @Override
    public void afterEach(ExtensionContext context) {
        Arc.container().instance(TestClock.class).get().reset();
        Api.as(Tokens.admin()).delete("/v1/admin/domains/{domain}/policy", domain);
    }
}
