package io.fleetward.reconcile;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executor for the loop's probes and deployments in tests: {@code inline} runs each task at once
 * on the caller's thread; otherwise tasks wait until the test runs them ({@link #runAll}), so it
 * decides when a deployment or a background probe ends.
 */
final class ManualExecutor extends AbstractExecutorService {
    private final boolean inline;
    private final Deque<Runnable> queued = new ArrayDeque<>();
    private boolean shut;

    private ManualExecutor(boolean inline) {
        this.inline = inline;
    }

    static ManualExecutor inline() {
        return new ManualExecutor(true);
    }

    static ManualExecutor queued() {
        return new ManualExecutor(false);
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (shut) {
                throw new RejectedExecutionException("shut down");
            }
            if (!inline) {
                queued.add(task);
                return;
            }
        }
        task.run();
    }

    /** Runs the tasks queued so far, in order. */
    void runAll() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queued.poll();
            }
            if (next == null) {
                return;
            }
            next.run();
        }
    }

    synchronized int pending() {
        return queued.size();
    }

    @Override
    public synchronized void shutdown() {
        shut = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shut = true;
        List<Runnable> left = List.copyOf(queued);
        queued.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shut;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shut && queued.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
