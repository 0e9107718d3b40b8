/**
 * The second factor (RFC 6238) and its HTTP face: enrollment with QR code, confirmation, verification
 * by TOTP or recovery code, disabling, and the two-factor and recovery-code resources.
 */
package dev.twofold.totp;
