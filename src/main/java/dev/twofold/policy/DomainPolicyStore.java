package dev.twofold.policy;

import dev.twofold.account.AccountId;
import dev.twofold.changes.CredentialChangeNotifier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * Domain policies and accounts' first appearances, on the raw reactive pool. A policy is written in
 * one transaction with the notice that tells every replica to drop what it holds of it.
 */
@ApplicationScoped
class DomainPolicyStore {

    private static final String REQUIRED = "required";
    private static final String NEVER = "never";

    private static final String FIND_ALL = "select * from domain_policy";

    // A policy that stays 'required' keeps its start, so replacing other fields restarts no grace period.
    private static final String UPSERT = """
            insert into domain_policy as p (domain, two_factor, grace_seconds, two_factor_required_since,
                mail_password, allowed_protocols, max_app_passcodes, passcode_lifetime_seconds, updated_at)
            values ($1, $2::text, $3, case when $2::text = 'required' then $8::timestamptz end, $4, $5, $6, $7, $8::timestamptz)
            on conflict (domain) do update set
                two_factor = excluded.two_factor,
                grace_seconds = excluded.grace_seconds,
                two_factor_required_since = case when excluded.two_factor = 'required'
                    then coalesce(p.two_factor_required_since, excluded.two_factor_required_since) end,
                mail_password = excluded.mail_password,
                allowed_protocols = excluded.allowed_protocols,
                max_app_passcodes = excluded.max_app_passcodes,
                passcode_lifetime_seconds = excluded.passcode_lifetime_seconds,
                updated_at = excluded.updated_at
            returning *""";

    private static final String DELETE = "delete from domain_policy where domain = $1";

    /** One statement: the row just inserted, or the one that was there (the CTE's insert is invisible to the select). */
    private static final String FIRST_SEEN = """
            with added as (insert into account_first_seen (account_id, first_seen_at) values ($1, $2)
                           on conflict (account_id) do nothing returning first_seen_at)
            select first_seen_at from added
            union all select first_seen_at from account_first_seen where account_id = $1
            limit 1""";

    private static final String FIND_FIRST_SEEN = "select first_seen_at from account_first_seen where account_id = $1";

    private final Pool pool;
    private final CredentialChangeNotifier changes;

    DomainPolicyStore(Pool pool, CredentialChangeNotifier changes) {
        this.pool = pool;
        this.changes = changes;
    }

    Uni<List<Policy>> findAll() {
        return pool.query(FIND_ALL).execute().map(DomainPolicyStore::policies);
    }

    Uni<Policy> save(Policy wanted, boolean twoFactorRequired) {
        List<Object> values = new ArrayList<>();
        values.add(wanted.domain());
        values.add(twoFactorRequired ? REQUIRED : "optional");
        values.add(wanted.enrollmentGracePeriod().toSeconds());
        values.add(wanted.mailPasswordAllowed() ? "allowed" : NEVER);
        values.add(
                wanted.allowedProtocols().map(slugs -> String.join(",", slugs)).orElse(null));
        values.add(wanted.maxAppPasscodes().orElse(null));
        values.add(wanted.appPasscodeLifetime().map(Duration::toSeconds).orElse(null));
        values.add(OffsetDateTime.ofInstant(wanted.updatedAt(), ZoneOffset.UTC));
        return pool.withTransaction(tx -> tx.preparedQuery(UPSERT)
                .execute(Tuple.from(values))
                .map(rows -> policies(rows).get(0))
                .call(() -> changes.domainPolicyChangedOn(tx, wanted.domain())));
    }

    Uni<Void> delete(String domain) {
        return pool.withTransaction(tx -> tx.preparedQuery(DELETE)
                .execute(Tuple.of(domain))
                .chain(deleted -> deleted.rowCount() == 0
                        ? Uni.createFrom().voidItem()
                        : changes.domainPolicyChangedOn(tx, domain)));
    }

    /** When the account first appeared; records {@code now} if this is its first appearance. */
    Uni<Instant> firstSeen(AccountId account, Instant now) {
        return pool.preparedQuery(FIRST_SEEN)
                .execute(Tuple.of(account.value(), OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant());
    }

    /** When the account first appeared, if it has: a pure read, unlike {@link #firstSeen}. */
    Uni<Optional<Instant>> findFirstSeen(AccountId account) {
        return pool.preparedQuery(FIND_FIRST_SEEN)
                .execute(Tuple.of(account.value()))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .findFirst()
                        .map(row -> row.getOffsetDateTime(0).toInstant()));
    }

    private static List<Policy> policies(RowSet<Row> rows) {
        return StreamSupport.stream(rows.spliterator(), false)
                .map(DomainPolicyStore::policy)
                .toList();
    }

    private static Policy policy(Row row) {
        Optional<Set<String>> protocols = Optional.ofNullable(row.getString("allowed_protocols"))
                .map(column -> new LinkedHashSet<>(Arrays.asList(column.split(","))));
        return new Policy(
                row.getString("domain"),
                Optional.ofNullable(row.getOffsetDateTime("two_factor_required_since"))
                        .map(OffsetDateTime::toInstant),
                Duration.ofSeconds(row.getLong("grace_seconds")),
                !NEVER.equals(row.getString("mail_password")),
                protocols.map(Collections::unmodifiableSet),
                Optional.ofNullable(row.getInteger("max_app_passcodes")),
                Optional.ofNullable(row.getLong("passcode_lifetime_seconds")).map(Duration::ofSeconds),
                row.getOffsetDateTime("updated_at").toInstant());
    }
}
