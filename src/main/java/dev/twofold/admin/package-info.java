/** Operations across all accounts for admin tools, such as re-encrypting seeds after a key rotation. */
package dev.twofold.admin;
