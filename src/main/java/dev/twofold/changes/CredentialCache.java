package dev.twofold.changes;

import dev.twofold.account.AccountId;

/**
 * What a replica holds in memory about credentials and the domain policies that govern them, kept
 * honest by {@link CredentialChanges}: every such cache is told every change (from any replica, in
 * commit order), and answers only while {@link OwnHeartbeat} says it has heard all of them. A cache
 * ignores the kinds of change that touch nothing it holds.
 */
public interface CredentialCache {

    /** An app passcode of the account changed: drop what is held about its passcodes. */
    void evictPasscodes(AccountId account);

    /** Two-factor authentication of the account was turned on or off. */
    void evictTwoFactor(AccountId account);

    /** The account was erased: drop everything held about it. */
    void evictAccount(AccountId account);

    /** The domain's policy was set or cleared. */
    void evictDomainPolicy(String domain);

    /**
     * A change of unknown reach (a payload that is no Twofold message), or changes may have gone
     * unheard (the listener is new, gone or behind): drop everything.
     */
    void clear();
}
