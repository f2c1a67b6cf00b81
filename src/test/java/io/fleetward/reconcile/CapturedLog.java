package io.fleetward.reconcile;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/** The lines logged under one logger (and its children) while open, as {@code LEVEL message}. */
final class CapturedLog extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLog(String name) {
        this.logger = Logger.getLogger(name);
    }

    static CapturedLog of(String name) {
        CapturedLog log = new CapturedLog(name);
        log.logger.addHandler(log);
        return log;
    }

    /** The lines logged at WARN (WARNING) that contain {@code text}. */
    List<String> warnings(String text) {
        return lines.stream().filter(line -> line.startsWith("WARN ") && line.contains(text)).toList();
    }

    /** The lines logged at any level that contain {@code text}. */
    List<String> lines(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record);
        String level = record.getLevel().intValue() == Level.WARNING.intValue() ? "WARN" : record.getLevel().getName();
        lines.add(level + " " + message);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
