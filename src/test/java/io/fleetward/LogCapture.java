package io.fleetward;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every log line of the running application while a test class runs, as formatted text with the
 * messages of the exception and its causes. Register it in the test class:
 *
 * <pre>{@code @RegisterExtension
 * static final LogCapture LOGS = new LogCapture();}</pre>
 *
 * <p>Quarkus sets the root logger's handlers when it starts, which drops a handler added earlier, so
 * the capture joins the root logger before each test (when Quarkus is up) and stays until the class
 * is done: lines logged between tests, by work a test started, are kept. The class's
 * {@code @AfterAll} methods still see every line; JUnit runs them before this extension's
 * {@code afterAll}, which removes the capture.
 */
public final class LogCapture implements BeforeEachCallback, AfterAllCallback {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
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
    };

    @Override
    public void beforeEach(ExtensionContext context) {
        Logger root = Logger.getLogger("");
        if (!Arrays.asList(root.getHandlers()).contains(handler)) {
            root.addHandler(handler);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Logger.getLogger("").removeHandler(handler);
    }

    /** The lines captured so far, as {@code <logger>: <message>}. */
    public List<String> lines() {
        return List.copyOf(lines);
    }
}
