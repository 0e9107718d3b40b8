package dev.twofold.ctl;

/** Why a command failed, worded for the operator, with the exit code it ends the process with. */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient int exitCode;

    CommandFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
