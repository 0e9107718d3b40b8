/**
 * The only place that touches keys and hashes: key ring, sealing at rest, keyed lookup, Argon2id and
 * secret generation.
 */
package dev.twofold.crypto;
