package dev.twofold.totp;

/** The HMAC behind HOTP/TOTP; the constant names are the ones the Key URI Format uses. */
public enum HashAlgorithm {
    SHA1("HmacSHA1"),
    SHA256("HmacSHA256"),
    SHA512("HmacSHA512");

    private final String macName;

    HashAlgorithm(String macName) {
        this.macName = macName;
    }

    /** The JCA {@link javax.crypto.Mac} algorithm name. */
    public String macName() {
        return macName;
    }
}
