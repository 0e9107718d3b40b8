package dev.twofold.mailauth;

import java.util.Arrays;

/** A passcode's lookup hash as a map key (by content). */
final class LookupKey {

    private final byte[] hash;
    private final int hashCode;

    LookupKey(byte[] hash) {
        this.hash = hash.clone();
        this.hashCode = Arrays.hashCode(hash);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LookupKey key && Arrays.equals(key.hash, hash);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }
}
