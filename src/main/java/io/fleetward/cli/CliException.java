package io.fleetward.cli;

/** A command that cannot go on: the message for stderr and the exit code scripts see. */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
