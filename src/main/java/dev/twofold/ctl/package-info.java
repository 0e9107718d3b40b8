/**
 * twofoldctl, the operator CLI: picocli commands that call Twofold's REST API with an admin token and
 * print tables for people or the server's JSON for scripts. Nothing in the service depends on it.
 */
package dev.twofold.ctl;
