package io.fleetward.transport;

import java.util.function.Consumer;

/**
 * Collects a command's output lines: keeps at most {@link CommandResult#CAPTURE_LIMIT} characters
 * (each line followed by a newline) and hands every line to an optional sink as it arrives.
 * Thread-safe, so stdout and stderr may feed one capture (streamed output is merged).
 */
public final class OutputCapture {
    private final Consumer<String> sink;
    private final StringBuilder captured = new StringBuilder();

    /** @param sink receives every line, or null */
    public OutputCapture(Consumer<String> sink) {
        this.sink = sink;
    }

    /** One line, without its line terminator. */
    public synchronized void line(String line) {
        if (sink != null) {
            sink.accept(line);
        }
        if (captured.length() < CommandResult.CAPTURE_LIMIT) {
            captured.append(line, 0, Math.min(line.length(), CommandResult.CAPTURE_LIMIT - captured.length()))
                    .append('\n');
        }
    }

    /** What was kept so far. */
    public synchronized String text() {
        return captured.toString();
    }
}
