package dev.twofold.crypto;

/**
 * A sealed secret could not be opened: wrong key, wrong account (AAD), a key missing from the
 * ring, or tampered data. The message names the key id at most, never secret material.
 */
public class SealingException extends RuntimeException {

    public SealingException(String message) {
        super(message);
    }

    public SealingException(String message, Throwable cause) {
        super(message, cause);
    }
}
