package io.fleetward.transport;

import java.time.Duration;

/**
 * How a command ended. Output is bounded ({@link #CAPTURE_LIMIT} characters per stream).
 *
 * @param exitCode the exit status, or -1 when the command timed out
 * @param timedOut whether it was killed for running past its timeout
 */
public record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut, Duration took) {
    /** Captured characters kept per stream; the rest is dropped (deploy logs stream to disk instead). */
    public static final int CAPTURE_LIMIT = 64 * 1024;

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The first line of stderr (or stdout), for a one-line reason. */
    public String firstErrorLine() {
        String text = stderr.isBlank() ? stdout : stderr;
        return text.strip().lines().findFirst().orElse("");
    }
}
