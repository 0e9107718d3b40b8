/** What mail servers call on every login: verify and RFC 7662 introspection, with the login cache and throttle they share. */
package dev.twofold.mailauth;
