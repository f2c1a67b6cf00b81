package io.fleetward.api;

import io.fleetward.store.DeploymentStore;
import io.smallrye.mutiny.Multi;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients following deployment logs ({@code GET /api/v1/deployments/{id}/log}): at most {@code
 * fleetward.api.max-log-followers} at once, all polled by {@link #POLL_THREADS} threads of their own,
 * so followers never hold a request thread and a crowd of them cannot starve the API, health checks
 * or metrics. A follower's place is free again as soon as its stream ends, including when the client
 * disconnects.
 */
final class LogFollowers implements AutoCloseable {
    /** Threads that read every follower's file and check its deployment's record. */
    static final int POLL_THREADS = 2;

    private final int max;
    private final Semaphore places;
    private final ScheduledExecutorService poller;

    LogFollowers(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("fleetward.api.max-log-followers: must be at least 1, got " + max);
        }
        this.max = max;
        this.places = new Semaphore(max);
        AtomicInteger threads = new AtomicInteger();
        this.poller = Executors.newScheduledThreadPool(POLL_THREADS, task -> {
            Thread thread = new Thread(task, "fleetward-log-follow-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A follow of deployment {@code id}'s log that holds a place until it ends, or empty when every
     * place is taken.
     */
    Optional<Multi<byte[]>> follow(DeploymentStore store, long id, Duration maxFollow) {
        if (!places.tryAcquire()) {
            return Optional.empty();
        }
        AtomicBoolean held = new AtomicBoolean(true);
        return Optional.of(new DeploymentLogStream(store, id, maxFollow, poller).follow()
                .onTermination().invoke(() -> {
                    if (held.getAndSet(false)) {
                        places.release();
                    }
                }));
    }

    /** How many may follow at once. */
    int max() {
        return max;
    }

    /** How many follow now. */
    int following() {
        return max - places.availablePermits();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
