/** Cross-cutting runtime pieces: the clock, the database pool, transactions, scheduled-job start and meter registration. */
package dev.twofold.platform;
