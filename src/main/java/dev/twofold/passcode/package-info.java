/**
 * App passcodes: named per-device credentials that mail apps use instead of the primary password, with
 * their scopes (protocols, client networks) and the store the mail-login path reads them through.
 */
package dev.twofold.passcode;
