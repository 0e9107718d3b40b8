/** What mail servers call on every login: verify and RFC 7662 introspection, sharing the login cache and throttle. */
package dev.twofold.mailauth;
