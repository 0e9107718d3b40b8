/** Recovery codes: one-time emergency codes that stand in for the authenticator app. */
package dev.twofold.recovery;
