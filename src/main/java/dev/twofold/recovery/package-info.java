/**
 * Recovery codes: one-time emergency codes that stand in for the authenticator app; a service with no
 * HTTP face, called by the second factor (totp) which decides when codes exist.
 */
package dev.twofold.recovery;
