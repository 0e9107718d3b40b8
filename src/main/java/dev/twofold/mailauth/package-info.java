/** What mail servers call on every login: verify, RFC 7662 introspection and the nginx auth_http adapter. */
package dev.twofold.mailauth;
