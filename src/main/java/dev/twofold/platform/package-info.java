/**
 * Cross-cutting runtime pieces: the clock, the database pools (requests, maintenance), transactions,
 * scheduled-job start and meter registration.
 */
package dev.twofold.platform;
