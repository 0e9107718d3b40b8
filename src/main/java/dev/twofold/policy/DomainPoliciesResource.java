package dev.twofold.policy;

import dev.twofold.account.AccountAccess;
import dev.twofold.api.DomainPoliciesApi;
import dev.twofold.api.model.DomainPolicy;
import dev.twofold.api.model.DomainPolicyRequest;
import dev.twofold.api.model.MailPasswordRule;
import dev.twofold.api.model.MailProtocolSlug;
import dev.twofold.api.model.TwoFactorRequirement;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

@Authenticated
public class DomainPoliciesResource implements DomainPoliciesApi {

    private static final Duration DEFAULT_GRACE = Duration.ofDays(14);
    private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

    private final DomainPolicies policies;
    private final AccountAccess access;
    private final Clock clock;

    DomainPoliciesResource(DomainPolicies policies, AccountAccess access, Clock clock) {
        this.policies = policies;
        this.access = access;
        this.clock = clock;
    }

    @Override
    public Uni<DomainPolicy> getDomainPolicy(String rawDomain) {
        String domain = reachable(rawDomain);
        return policies.ofDomain(domain)
                .map(found -> found.map(DomainPoliciesResource::answer)
                        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "The domain has no policy.")));
    }

    @Override
    public Uni<DomainPolicy> setDomainPolicy(String rawDomain, DomainPolicyRequest request) {
        String domain = reachable(rawDomain);
        Policy wanted = new Policy(
                domain,
                Optional.empty(),
                duration("enrollmentGracePeriod", request.getEnrollmentGracePeriod())
                        .orElse(DEFAULT_GRACE),
                request.getMailPassword() != MailPasswordRule.NEVER,
                Optional.ofNullable(request.getAllowedProtocols())
                        .filter(protocols -> !protocols.isEmpty())
                        .map(protocols -> protocols.stream()
                                .map(MailProtocolSlug::toString)
                                .collect(Collectors.toCollection(LinkedHashSet::new))),
                Optional.ofNullable(request.getMaxAppPasscodes()),
                duration("appPasscodeLifetime", request.getAppPasscodeLifetime()),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        return policies.save(wanted, request.getTwoFactor() == TwoFactorRequirement.REQUIRED)
                .map(DomainPoliciesResource::answer);
    }

    @Override
    public Uni<Void> clearDomainPolicy(String rawDomain) {
        return policies.delete(reachable(rawDomain));
    }

    private String reachable(String rawDomain) {
        String domain = Domains.normalise(rawDomain);
        access.requireAdminOf(domain);
        return domain;
    }

    /** An ISO-8601 duration of days and time (Java's {@link Duration} form; months and years have no fixed length). */
    private static Optional<Duration> duration(String field, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            Duration parsed = Duration.parse(text);
            if (parsed.isNegative() || parsed.isZero() && field.equals("appPasscodeLifetime")) {
                throw ProblemException.invalidField(field, "must be a positive duration");
            }
            return Optional.of(parsed);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an ISO-8601 duration of days and time, e.g. P14D");
        }
    }

    /** Whole days as {@code P14D} (how operators write them), anything else in Java's {@code PT36H} form. */
    private static String iso(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % SECONDS_PER_DAY == 0 ? "P" + seconds / SECONDS_PER_DAY + "D" : duration.toString();
    }

    static DomainPolicy answer(Policy policy) {
        Set<MailProtocolSlug> protocols = policy.allowedProtocols().orElse(Set.of()).stream()
                .map(MailProtocolSlug::fromValue)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return new DomainPolicy()
                .domain(policy.domain())
                .twoFactor(policy.twoFactorRequired() ? TwoFactorRequirement.REQUIRED : TwoFactorRequirement.OPTIONAL)
                .enrollmentGracePeriod(iso(policy.enrollmentGracePeriod()))
                .twoFactorRequiredSince(policy.twoFactorRequiredSince().orElse(null))
                .mailPassword(policy.mailPasswordAllowed() ? MailPasswordRule.ALLOWED : MailPasswordRule.NEVER)
                .allowedProtocols(
                        protocols.isEmpty() ? null : protocols.stream().toList())
                .maxAppPasscodes(policy.maxAppPasscodes().orElse(null))
                .appPasscodeLifetime(policy.appPasscodeLifetime()
                        .map(DomainPoliciesResource::iso)
                        .orElse(null))
                .updatedAt(policy.updatedAt());
    }
}
