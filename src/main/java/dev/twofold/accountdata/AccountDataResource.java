package dev.twofold.accountdata;

import dev.twofold.account.AccountAccess;
import dev.twofold.account.AccountId;
import dev.twofold.api.AccountDataApi;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

@Authenticated
public class AccountDataResource implements AccountDataApi {

    private static final Logger LOG = Logger.getLogger(AccountDataResource.class);

    private final AccountErasure erasure;
    private final AccountAccess access;

    AccountDataResource(AccountErasure erasure, AccountAccess access) {
        this.erasure = erasure;
        this.access = access;
    }

    @Override
    public Uni<Void> eraseAccount(String accountId) {
        AccountId account = access.admin(accountId);
        String actor = access.caller().actor().orElse("-");
        // No event: it would name the erased account. The log is the erasure's trace.
        return erasure.erase(account).invoke(() -> LOG.infof("Account %s erased by admin %s", account, actor));
    }
}
