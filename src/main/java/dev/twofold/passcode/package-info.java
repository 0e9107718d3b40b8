/** App passcodes: named per-device credentials that mail apps use instead of the primary password. */
package dev.twofold.passcode;
