package dev.twofold.ctl;

/** The process exit codes, as documented in the README's twofoldctl section. */
final class ExitCodes {

    static final int OK = 0;
    /** The server refused (a 4xx or 5xx problem), or the operation did not complete (import error lines). */
    static final int FAILED = 1;
    /** Bad arguments or missing configuration (picocli's own code for usage errors). */
    static final int USAGE = 2;
    /** No connection to the server (refused, unresolvable host, timed out). */
    static final int UNREACHABLE = 3;

    private ExitCodes() {}
}
