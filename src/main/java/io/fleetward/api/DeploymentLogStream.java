package io.fleetward.api;

import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A deployment's log file, followed like {@code tail -f} while the deployment runs: what is in the
 * file is sent at once, then the file is polled until the deployment record is no longer RUNNING,
 * and the rest is sent. The deployer flushes every line and writes the last one before it records
 * the outcome, so nothing is lost at the end. Following is bounded by {@code maxFollow} (the deploy
 * timeout plus a margin): a record left RUNNING by mistake cannot hold a connection forever.
 *
 * <p>No thread waits for a follower: the file is read when the client has taken what was sent
 * (as fast as it reads) and on the poll timer of the shared {@code poller}; between two polls a
 * follower is a little state and an open file. When the client goes away, the framework cancels the
 * stream, which stops its polls and closes the file at once, however quiet the log is.
 */
final class DeploymentLogStream {
    private static final Logger LOG = Logger.getLogger(DeploymentLogStream.class);
    /** How often a running deployment's file is checked for news. */
    static final Duration POLL = Duration.ofMillis(200);
    /** The record is read every this many polls of a quiet file: followers must not load the database. */
    static final int POLLS_PER_RECORD_CHECK = 5;
    /** The largest piece of the log sent at once. */
    static final int CHUNK = 64 * 1024;

    private final DeploymentStore store;
    private final long id;
    private final Duration maxFollow;
    private final ScheduledExecutorService poller;

    DeploymentLogStream(DeploymentStore store, long id, Duration maxFollow, ScheduledExecutorService poller) {
        this.store = store;
        this.id = id;
        this.maxFollow = maxFollow;
        this.poller = poller;
    }

    /** The log, in pieces as they are read; each subscriber follows the file on its own. */
    Multi<byte[]> follow() {
        return Multi.createFrom().emitter(emitter -> new Follower(emitter).start(), BackPressureStrategy.BUFFER);
    }

    /** One client's follow of the file. Its methods run on the poller's threads, one at a time. */
    private final class Follower {
        private final MultiEmitter<? super byte[]> emitter;
        private final long deadline = System.nanoTime() + maxFollow.toNanos();
        private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        private volatile ScheduledFuture<?> polls;
        private volatile boolean stopped;
        private FileChannel file;
        private boolean atEnd;
        private boolean finishing;
        private int quietPolls;

        Follower(MultiEmitter<? super byte[]> emitter) {
            this.emitter = emitter;
        }

        synchronized void start() {
            emitter.onTermination(this::stop);
            emitter.onRequest(n -> onPoller(this::send));
            if (!stopped) {
                polls = poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** One poll: open the file once it exists, send news, and end when the deployment has. */
        private synchronized void poll() {
            if (stopped) {
                stopPolls(); // stopped while the polls were being scheduled
                return;
            }
            try {
                if (file == null && !open()) {
                    return;
                }
                read();
                if (!atEnd || finishing) {
                    return;
                }
                if (quietPolls++ % POLLS_PER_RECORD_CHECK == 0 && !running()) {
                    finishing = true; // what was written between the last read and the outcome
                    read();
                } else if (System.nanoTime() > deadline) {
                    emitter.emit(("# fleetward: stopped following after " + maxFollow.toMinutes()
                            + " min; the deployment is still running\n").getBytes(StandardCharsets.UTF_8));
                    finish();
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        /** Sends what the client asked for and the file holds. */
        private synchronized void send() {
            if (stopped || file == null) {
                return;
            }
            try {
                read();
            } catch (IOException e) {
                fail(e);
            }
        }

        /** Reads and emits while the client wants more and the file has more; at its end, finishes if finishing. */
        private void read() throws IOException {
            while (!stopped && emitter.requested() > 0) {
                buffer.clear();
                int n = file.read(buffer);
                if (n <= 0) {
                    atEnd = true;
                    if (finishing) {
                        finish();
                    }
                    return;
                }
                atEnd = false;
                emitter.emit(Arrays.copyOf(buffer.array(), n));
            }
        }

        /**
         * Opens the log file; a deployment that just began may not have attached it yet. Ends the
         * stream, empty, if it never does.
         */
        private boolean open() throws IOException {
            Optional<DeploymentRecord> record = store.find(id);
            if (record.isPresent() && record.get().logFile() != null) {
                file = FileChannel.open(Path.of(record.get().logFile()), StandardOpenOption.READ);
                return true;
            }
            if (record.isEmpty() || record.get().outcome() != DeploymentOutcome.RUNNING
                    || System.nanoTime() > deadline) {
                finish();
            }
            return false;
        }

        private boolean running() {
            return store.find(id).map(r -> r.outcome() == DeploymentOutcome.RUNNING).orElse(false);
        }

        private void finish() {
            stopped = true;
            emitter.complete();
        }

        private void fail(Exception e) {
            if (!stopped) { // else the client went away and its file was closed under a read
                LOG.warnf("api: stopped following the log of deployment %d: %s", id, e.toString());
                stopped = true;
                emitter.fail(e);
            }
        }

        /**
         * The stream ended: completed, failed, or cancelled because the client went away (then on an
         * I/O thread, which must not wait for a poll: the file is closed on the poller).
         */
        private void stop() {
            stopped = true;
            stopPolls();
            onPoller(this::close);
        }

        private void stopPolls() {
            ScheduledFuture<?> scheduled = polls;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        private synchronized void close() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    LOG.debugf("api: closing the log of deployment %d: %s", id, e);
                }
                file = null;
            }
        }

        /** Runs {@code task} on the poller; when it is shut down (the daemon stops), here. */
        private void onPoller(Runnable task) {
            try {
                poller.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        }
    }
}
