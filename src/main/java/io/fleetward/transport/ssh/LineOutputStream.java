package io.fleetward.transport.ssh;

import io.fleetward.transport.CommandResult;
import io.fleetward.transport.OutputCapture;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Receives one remote output stream (SSH delivers arbitrary byte chunks) and hands complete UTF-8
 * lines to a capture. A line longer than {@link CommandResult#CAPTURE_LIMIT} bytes is cut there,
 * so a command printing without newlines cannot grow memory without bound.
 */
final class LineOutputStream extends OutputStream {
    private final OutputCapture capture;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineOutputStream(OutputCapture capture) {
        this.capture = capture;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else if (line.size() < CommandResult.CAPTURE_LIMIT) {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(bytes, start, end - start);
    }

    /** Hands over a last line that had no newline; called once the command has ended. */
    synchronized void finish() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void append(byte[] bytes, int offset, int length) {
        line.write(bytes, offset, Math.min(length, Math.max(0, CommandResult.CAPTURE_LIMIT - line.size())));
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        // Same line ends as BufferedReader.readLine on the local transport.
        capture.line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
    }
}
