package io.fleetward.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Every log line of the running application while installed, as formatted text (with exception messages). */
final class LogCapture extends Handler {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** Installs a capture on the root logger; Quarkus sets its handlers at start, so install after that. */
    static LogCapture install() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    void uninstall() {
        Logger.getLogger("").removeHandler(this);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            text += " | " + t;
        }
        lines.add(record.getLoggerName() + ": " + text);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
