/** IP address literals and CIDR ranges as mail servers report them and app passcode scopes store them. */
package dev.twofold.network;
