package dev.twofold.imports;

import dev.twofold.account.AccountId;
import dev.twofold.audit.EventOrigin;
import dev.twofold.audit.SecurityEventLog;
import dev.twofold.audit.SecurityEventStore;
import dev.twofold.audit.SecurityEventType;
import dev.twofold.changes.CredentialChangeNotifier;
import dev.twofold.passcode.ImportedPasscodeStore;
import dev.twofold.recovery.ImportedCodeStore;
import dev.twofold.totp.ImportedFactorStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one batch of an import in one transaction: factors first (an account that has one by then
 * is left alone, with everything else of its line), then recovery codes, passcodes whose name is
 * free, and one {@code account-imported} event per account that got anything. Every table is
 * written by its owner's store; this class only holds them to one transaction.
 */
@ApplicationScoped
class ImportStore {

    /** What a batch writes; the hashing is done before, outside the transaction. */
    record Batch(
            List<ImportedFactorStore.Factor> factors,
            List<ImportedCodeStore.Code> codes,
            List<ImportedPasscodeStore.Passcode> passcodes,
            Set<String> withTotp,
            String admin,
            EventOrigin origin) {}

    private final Pool pool;
    private final ImportedFactorStore factors;
    private final ImportedCodeStore codes;
    private final ImportedPasscodeStore passcodes;
    private final SecurityEventStore eventStore;
    private final SecurityEventLog events;

    private final CredentialChangeNotifier credentialChanges;

    ImportStore(
            Pool pool,
            ImportedFactorStore factors,
            ImportedCodeStore codes,
            ImportedPasscodeStore passcodes,
            SecurityEventStore eventStore,
            SecurityEventLog events,
            CredentialChangeNotifier credentialChanges) {
        this.pool = pool;
        this.factors = factors;
        this.codes = codes;
        this.passcodes = passcodes;
        this.eventStore = eventStore;
        this.events = events;
        this.credentialChanges = credentialChanges;
    }

    /** Writes the batch; the accounts that were imported (the others were there already). */
    Uni<Set<String>> write(Batch batch, Instant now) {
        return pool.withTransaction(tx -> factors.insertAbsent(tx, batch.factors(), now)
                .flatMap(stored -> {
                    List<ImportedCodeStore.Code> newCodes = batch.codes().stream()
                            .filter(code -> stored.contains(code.accountId()))
                            .toList();
                    List<ImportedPasscodeStore.Passcode> newPasscodes = batch.passcodes().stream()
                            .filter(passcode -> !batch.withTotp().contains(passcode.accountId())
                                    || stored.contains(passcode.accountId()))
                            .toList();
                    return codes.insert(tx, newCodes, now)
                            .flatMap(ignored -> passcodes.insertNew(tx, newPasscodes))
                            .flatMap(storedPasscodes -> {
                                Set<String> imported = new LinkedHashSet<>(stored);
                                imported.addAll(storedPasscodes.keySet());
                                return eventStore
                                        .reserveEventIds(tx, imported.size())
                                        .flatMap(ids -> eventStore.recordAll(
                                                tx, eventRows(batch, imported, ids, newCodes, storedPasscodes)))
                                        // A replica that cached "2FA off" for an account must not let its password in.
                                        .call(() -> credentialChanges.twoFactorChangedOn(tx, List.copyOf(stored)))
                                        .replaceWith(imported);
                            });
                }));
    }

    private List<SecurityEventLog.EventRows> eventRows(
            Batch batch,
            Set<String> imported,
            List<Long> ids,
            List<ImportedCodeStore.Code> storedCodes,
            Map<String, Integer> storedPasscodes) {
        List<SecurityEventLog.EventRows> rows = new ArrayList<>(imported.size());
        int next = 0;
        for (String account : imported) {
            long codeCount = storedCodes.stream()
                    .filter(code -> code.accountId().equals(account))
                    .count();
            Map<String, String> detail = Map.of(
                    "admin", batch.admin(),
                    "totp", String.valueOf(batch.withTotp().contains(account)),
                    "recoveryCodes", String.valueOf(codeCount),
                    "appPasscodes", String.valueOf(storedPasscodes.getOrDefault(account, 0)));
            rows.add(events.rowsFor(
                    ids.get(next++),
                    new AccountId(account),
                    SecurityEventType.ACCOUNT_IMPORTED,
                    batch.origin(),
                    detail));
        }
        return rows;
    }
}
