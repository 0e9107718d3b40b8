/** Cross-cutting runtime pieces: the clock, the database pool, transactions and scheduled-job start. */
package dev.twofold.platform;
