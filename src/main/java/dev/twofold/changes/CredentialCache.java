package dev.twofold.changes;

import dev.twofold.account.AccountId;

/**
 * What a replica holds in memory about credentials, kept honest by {@link CredentialChanges}: it is
 * told every change (from any replica, in commit order) and whether it has heard all of them.
 */
public interface CredentialCache {

    /** An app passcode of the account changed: drop what is held about its passcodes. */
    void evictPasscodes(AccountId account);

    /** Two-factor authentication of the account was turned on or off. */
    void evictTwoFactor(AccountId account);

    /** A change of unknown reach (a payload that is no Twofold message): drop everything. */
    void clear();

    /** This replica has just received its own heartbeat: every change committed before it was sent is applied. */
    void markInSync(long heartbeatReceivedNanos);

    /** The listener is gone or behind: nothing held can be trusted until it has heard its own heartbeat again. */
    void markOutOfSync();
}
