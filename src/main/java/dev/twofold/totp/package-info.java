/** The TOTP second factor (RFC 6238): enrollment with QR code, confirmation, verification, disabling. */
package dev.twofold.totp;
