package io.fleetward.reconcile;

import java.time.Duration;

/**
 * Where passes and the loop's timers run: one thread, the pass thread, so that it alone writes the
 * fleet state. Production uses {@link PassThread}; tests drive passes on virtual time.
 */
public interface PassScheduler {
    /** Runs {@code task} on the pass thread after the tasks queued before it. */
    void execute(Runnable task);

    /** Runs {@code task} on the pass thread after {@code delay}. */
    void schedule(Runnable task, Duration delay);

    /**
     * Runs nothing more; interrupts the running task and waits up to {@code wait} for it to end.
     *
     * @return whether the pass thread has ended (then the caller may take over the fleet state)
     */
    boolean shutdown(Duration wait) throws InterruptedException;
}
