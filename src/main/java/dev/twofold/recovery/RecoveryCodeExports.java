package dev.twofold.recovery;

import dev.twofold.account.AccountId;
import dev.twofold.api.model.RecoveryCodeExport;
import dev.twofold.platform.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;

/** The account's recovery codes for its export: when each was generated and used, never the code or its hashes. */
@ApplicationScoped
public class RecoveryCodeExports {

    private final RecoveryCodeRepository codes;

    RecoveryCodeExports(RecoveryCodeRepository codes) {
        this.codes = codes;
    }

    public Uni<List<RecoveryCodeExport>> export(AccountId account) {
        return Transactions.inSession(() -> codes.findByAccount(account.value()))
                .map(found -> found.stream()
                        .sorted(Comparator.comparingLong(code -> code.id))
                        .map(code -> new RecoveryCodeExport()
                                .generatedAt(code.generatedAt)
                                .usedAt(code.usedAt))
                        .toList());
    }
}
