package dev.twofold.passcode;

/**
 * A passcode just created: its facts and the passcode itself, in display form
 * ({@code abcd efgh ijkl mnop}). The only time the passcode exists outside the user's device.
 */
record IssuedPasscode(AppPasscodeInfo info, String passcode) {

    /** Never prints the passcode. */
    @Override
    public String toString() {
        return "IssuedPasscode[id=" + info.id() + "]";
    }
}
