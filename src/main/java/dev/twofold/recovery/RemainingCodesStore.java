package dev.twofold.recovery;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Counts an account's unused codes inside another package's statement, for the TOTP sign-in path:
 * its one read carries the count the answer needs, instead of a second statement of its own.
 */
@ApplicationScoped
class RemainingCodesStore {

    private static final String COUNT_UNUSED =
            "(select count(*) from recovery_code where account_id = $%d and used_at is null)";

    /** A scalar subquery: the unused codes of the account bound to parameter {@code $accountParameter}. */
    String unusedCount(int accountParameter) {
        return String.format(Locale.ROOT, COUNT_UNUSED, accountParameter);
    }
}
