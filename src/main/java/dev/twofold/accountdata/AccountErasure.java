package dev.twofold.accountdata;

import dev.twofold.account.AccountId;
import dev.twofold.account.AccountRecords;
import dev.twofold.changes.CredentialChangeNotifier;
import dev.twofold.platform.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.List;

/**
 * Erases an account: every feature's rows ({@link AccountRecords}) in one transaction, which also tells
 * every replica to drop what its login cache and domain policies hold about the account (its first
 * appearance included), exactly as a revocation does, so the request's answer waits until they have.
 */
@ApplicationScoped
class AccountErasure {

    private final List<AccountRecords> records;
    private final CredentialChangeNotifier changes;

    AccountErasure(@Any Instance<AccountRecords> records, CredentialChangeNotifier changes) {
        this.records = records.stream().toList();
        this.changes = changes;
    }

    Uni<Void> erase(AccountId account) {
        return Transactions.inTransaction(() -> {
            Uni<Void> done = Uni.createFrom().voidItem();
            for (AccountRecords feature : records) {
                done = done.chain(() -> feature.erase(account));
            }
            return done.chain(() -> changes.accountErased(account));
        });
    }
}
