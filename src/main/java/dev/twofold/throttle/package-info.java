/** In-memory failure throttling per replica: bounded token buckets keyed by whatever the caller chooses. */
package dev.twofold.throttle;
