package io.fleetward.webhook;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A {@link PushTrigger.Scheduler} on a virtual clock: tasks run when the test advances time past them.
 * A running fleetward uses it for its coalesce windows where a test profile selects it (see
 * {@link io.fleetward.FleetProfile}).
 */
@Alternative
@Singleton
public final class VirtualScheduler implements PushTrigger.Scheduler {

    private record Task(Duration due, long order, Runnable run) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparing(Task::due).thenComparingLong(Task::order));
    private Duration now = Duration.ZERO;
    private long scheduled;
    private boolean closed;

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        if (!closed) {
            tasks.add(new Task(now.plus(delay), scheduled++, task));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        tasks.clear();
    }

    /** Moves the clock forward, running every task that falls due on the way, in order. */
    void advance(Duration by) {
        Duration until = now.plus(by);
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due().compareTo(until) > 0) {
                    now = until;
                    return;
                }
                tasks.poll();
                now = next.due();
            }
            next.run().run();
        }
    }

    synchronized Duration now() {
        return now;
    }

    synchronized int pending() {
        return tasks.size();
    }
}
