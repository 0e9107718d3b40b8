/** Cross-cutting runtime pieces: the clock and other small producers shared by every feature. */
package dev.twofold.platform;
