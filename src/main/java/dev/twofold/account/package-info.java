/** Accounts and callers: normalised account ids, who is calling, and what each caller may do. */
package dev.twofold.account;
