package dev.twofold.accountdata;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.AccountId;
import dev.twofold.api.AccountDataApi;
import dev.twofold.api.model.AccountExport;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

@Authenticated
public class AccountDataResource implements AccountDataApi {

    private static final Logger LOG = Logger.getLogger(AccountDataResource.class);

    private final AccountErasure erasure;
    private final AccountExports exports;
    private final AccountAccess access;

    AccountDataResource(AccountErasure erasure, AccountExports exports, AccountAccess access) {
        this.erasure = erasure;
        this.exports = exports;
        this.access = access;
    }

    @Override
    public Uni<AccountExport> exportAccount(String accountId) {
        return exports.export(access.ownerOrAdmin(accountId));
    }

    @Override
    public Uni<Void> eraseAccount(String accountId) {
        AccountId account = access.admin(accountId);
        String actor = access.caller().actor().orElse("-");
        // No event: it would name the erased account. The log is the erasure's trace.
        return erasure.erase(account).invoke(() -> LOG.infof("Account %s erased by admin %s", account, actor));
    }
}
