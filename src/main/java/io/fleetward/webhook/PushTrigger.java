package io.fleetward.webhook;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Turns accepted pushes into nudges of the reconcile loop, at most one per coalesce window.
 *
 * <p>Leading and trailing edge: the first push after a quiet window nudges at once and opens a
 * window; pushes during the window only mark that one more nudge is due, and it is sent when the
 * window ends, opening the next window. So nudges are at least a window apart, a single push is
 * acted on immediately, and the last push of a burst is never lost.
 */
public final class PushTrigger implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PushTrigger.class);

    /** Runs a task after a delay; the production one is a single daemon thread, tests use virtual time. */
    public interface Scheduler extends AutoCloseable {
        void schedule(Duration delay, Runnable task);

        /** Drops pending tasks. */
        @Override
        void close();

        /** A scheduler on one daemon thread named {@code name}. */
        static Scheduler daemonThread(String name) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            });
            return new Scheduler() {
                @Override
                public void schedule(Duration delay, Runnable task) {
                    executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                }

                @Override
                public void close() {
                    executor.shutdownNow();
                }
            };
        }
    }

    /** What a push led to. */
    public enum Outcome {
        /** The loop was nudged now. */
        NUDGED,
        /** A nudge follows when the current window ends. */
        COALESCED
    }

    private final Duration window;
    private final Scheduler scheduler;
    private final Consumer<String> nudge;

    /** Guarded by {@code this}: whether a window is open, and the triggers waiting for its end. */
    private boolean windowOpen;
    private final Set<String> waiting = new TreeSet<>();
    private int waitingPushes;

    /**
     * @param window    nudges are at least this far apart; zero nudges on every push
     * @param scheduler ends windows
     * @param nudge     receives a trigger name (e.g. {@code webhook:github}); must return quickly
     */
    public PushTrigger(Duration window, Scheduler scheduler, Consumer<String> nudge) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative");
        }
        this.window = window;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nudge = Objects.requireNonNull(nudge, "nudge");
    }

    /** Records a push from {@code trigger}; nudges now or at the end of the open window. */
    public Outcome push(String trigger) {
        synchronized (this) {
            if (windowOpen) {
                waiting.add(trigger);
                waitingPushes++;
                return Outcome.COALESCED;
            }
            openWindow();
        }
        // Outside the lock: the nudge may take its own locks.
        nudge.accept(trigger);
        return Outcome.NUDGED;
    }

    /** Stops ending windows; pushes still waiting are dropped (the loop polls anyway). */
    @Override
    public void close() {
        scheduler.close();
    }

    private void windowEnded() {
        String trigger;
        int pushes;
        synchronized (this) {
            if (waiting.isEmpty()) {
                windowOpen = false;
                return;
            }
            trigger = String.join(",", waiting);
            pushes = waitingPushes;
            waiting.clear();
            waitingPushes = 0;
            openWindow();
        }
        LOG.infof("webhook: %d push(es) coalesced during the last %d ms: fetch requested", pushes, window.toMillis());
        nudge.accept(trigger);
    }

    /** Caller holds the lock. */
    private void openWindow() {
        if (window.isZero()) {
            return;
        }
        windowOpen = true;
        scheduler.schedule(window, this::windowEnded);
    }
}
