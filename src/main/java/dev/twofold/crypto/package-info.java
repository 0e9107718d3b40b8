/**
 * The only place that touches keys and hashes: key ring, sealing at rest, keyed lookup, Argon2id,
 * secret generation, and the signed second-factor assertions.
 */
package dev.twofold.crypto;
