package io.fleetward.api;

import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A deployment's log file, followed like {@code tail -f} while the deployment runs: what is in the
 * file is sent at once, then the file is polled until the deployment record is no longer RUNNING,
 * and the rest is sent. The deployer flushes every line and writes the last one before it records
 * the outcome, so nothing is lost at the end. Following is bounded by {@code maxFollow} (the deploy
 * timeout plus a margin): a record left RUNNING by mistake cannot hold a connection forever.
 */
final class DeploymentLogStream implements StreamingOutput {
    /** How often a running deployment's file is checked for news. */
    static final Duration POLL = Duration.ofMillis(200);
    /** The record is read every this many polls of a quiet file: followers must not load the database. */
    static final int POLLS_PER_RECORD_CHECK = 5;

    private final DeploymentStore store;
    private final long id;
    private final Duration maxFollow;

    DeploymentLogStream(DeploymentStore store, long id, Duration maxFollow) {
        this.store = store;
        this.id = id;
        this.maxFollow = maxFollow;
    }

    @Override
    public void write(OutputStream out) throws IOException {
        long deadline = System.nanoTime() + maxFollow.toNanos();
        Optional<Path> file = awaitFile(deadline);
        if (file.isEmpty()) {
            return;
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            byte[] buffer = new byte[8192];
            int quietPolls = 0;
            while (true) {
                int n = in.read(buffer);
                if (n > 0) {
                    out.write(buffer, 0, n);
                    continue;
                }
                out.flush();
                if (quietPolls++ % POLLS_PER_RECORD_CHECK == 0 && !running()) {
                    in.transferTo(out); // what was written between the last read and the outcome
                    return;
                }
                if (System.nanoTime() > deadline) {
                    out.write(("# fleetward: stopped following after " + maxFollow.toMinutes()
                            + " min; the deployment is still running\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                pause();
            }
        }
    }

    /** The log file; a deployment that just began may not have attached it yet. Empty if it never does. */
    private Optional<Path> awaitFile(long deadline) throws IOException {
        while (true) {
            Optional<DeploymentRecord> record = store.find(id);
            if (record.isEmpty()) {
                return Optional.empty();
            }
            if (record.get().logFile() != null) {
                return Optional.of(Path.of(record.get().logFile()));
            }
            if (record.get().outcome() != DeploymentOutcome.RUNNING || System.nanoTime() > deadline) {
                return Optional.empty();
            }
            pause();
        }
    }

    private boolean running() {
        return store.find(id).map(r -> r.outcome() == DeploymentOutcome.RUNNING).orElse(false);
    }

    /** Waits one poll interval on this request's worker thread. */
    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while following a deployment log");
        }
    }
}
