package dev.twofold.policy;

import dev.twofold.account.AccountId;
import dev.twofold.api.model.DomainPolicy;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;

/** What the policy feature stores about an account, for its export; reading it records nothing. */
@ApplicationScoped
public class PolicyExports {

    /** The account's first appearance and its domain's policy, each if there is one. */
    public record Exported(Optional<Instant> firstSeen, Optional<DomainPolicy> domainPolicy) {}

    private final DomainPolicyStore store;
    private final DomainPolicies policies;

    PolicyExports(DomainPolicyStore store, DomainPolicies policies) {
        this.store = store;
        this.policies = policies;
    }

    public Uni<Exported> export(AccountId account) {
        return store.findFirstSeen(account)
                .flatMap(firstSeen -> policies.of(account)
                        .map(policy -> new Exported(firstSeen, policy.map(DomainPoliciesResource::answer))));
    }
}
