/**
 * Cross-replica propagation of credential changes (PostgreSQL LISTEN/NOTIFY): features notify a
 * change inside their transaction, and every replica's login cache drops what it touches before the
 * changing request is answered.
 */
package dev.twofold.changes;
