/** Trusted devices: "don't ask again on this computer" after a successful second-factor check. */
package dev.twofold.device;
