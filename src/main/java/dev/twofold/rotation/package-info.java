/**
 * Key rotation beyond the seeds, orchestrated over the keyed tables that the owning features provide:
 * which rows each ring key still serves, the boot check that refuses a ring missing a key that rows
 * still need, and retiring lookup rows that cannot be re-keyed.
 */
package dev.twofold.rotation;
