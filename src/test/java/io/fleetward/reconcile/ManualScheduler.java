package io.fleetward.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;

/**
 * Passes on virtual time: tasks run on the test's thread when it calls {@link #runUntilIdle} or
 * {@link #advance}; timers fire as the {@link MutableClock} moves. Safe to feed from other threads
 * (an operator's request made on a thread of its own).
 */
final class ManualScheduler implements PassScheduler {
    private record Timer(Instant at, long order, Runnable task) {
    }

    private final MutableClock clock;
    private final Deque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers =
            new PriorityQueue<>(Comparator.comparing(Timer::at).thenComparingLong(Timer::order));
    private long order;
    private boolean shut;

    ManualScheduler(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void execute(Runnable task) {
        if (!shut) {
            ready.add(task);
        }
    }

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
        if (!shut) {
            timers.add(new Timer(clock.instant().plus(delay), order++, task));
        }
    }

    @Override
    public synchronized boolean shutdown(Duration wait) {
        shut = true;
        ready.clear();
        timers.clear();
        return true;
    }

    synchronized boolean hasWork() {
        return !ready.isEmpty();
    }

    /** Runs queued tasks (and what they queue) until none is left. */
    void runUntilIdle() {
        for (int i = 0; ; i++) {
            Runnable next;
            synchronized (this) {
                next = ready.poll();
            }
            if (next == null) {
                return;
            }
            if (i > 10_000) {
                throw new AssertionError("the loop never becomes idle");
            }
            next.run();
        }
    }

    /** Moves virtual time forward by {@code duration}, firing timers in order, each followed by what it queued. */
    void advance(Duration duration) {
        Instant end = clock.instant().plus(duration);
        while (true) {
            Timer due;
            synchronized (this) {
                due = timers.peek() != null && !timers.peek().at().isAfter(end) ? timers.poll() : null;
            }
            if (due == null) {
                break;
            }
            if (due.at().isAfter(clock.instant())) {
                clock.set(due.at());
            }
            due.task().run();
            runUntilIdle();
        }
        clock.set(end);
        runUntilIdle();
    }
}
