package io.fleetward.cli;

/** The exit codes of every subcommand, for scripts. */
final class ExitCodes {
    static final int OK = 0;
    /** The daemon cannot be reached, refused for another reason, or failed. */
    static final int ERROR = 1;
    /** The command line is wrong (or the daemon says the request is malformed). */
    static final int USAGE = 2;
    /** No such target or deployment. */
    static final int NOT_FOUND = 3;
    /** No token, a wrong token, or no token could be right (401, 403). */
    static final int UNAUTHORIZED = 4;

    private ExitCodes() {
    }

    /** The exit code for an HTTP error status. */
    static int of(int status) {
        return switch (status) {
            case 400 -> USAGE;
            case 401, 403 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            default -> ERROR;
        };
    }
}
