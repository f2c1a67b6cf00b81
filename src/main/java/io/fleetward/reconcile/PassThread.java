package io.fleetward.reconcile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The production {@link PassScheduler}: one daemon thread named {@code fleetward-reconcile}. */
public final class PassThread implements PassScheduler {
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleetward-reconcile");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // shut down: nothing runs any more
        }
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        try {
            thread.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shut down: nothing runs any more
        }
    }

    @Override
    public boolean shutdown(Duration wait) throws InterruptedException {
        thread.shutdownNow();
        return thread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
