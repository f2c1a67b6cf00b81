package io.fleetward.reconcile;

import io.fleetward.config.SourceConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Starts the loop with the application, polls the source on a timer, and stops the loop gracefully. */
@ApplicationScoped
public class LoopLifecycle {
    @Inject
    ReconcileLoop loop;

    @Inject
    SourceConfig source;

    void onStart(@Observes StartupEvent event) {
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        loop.close();
    }

    /** Each poll fires after a random jitter of up to 10% so a fleet of daemons does not fetch in step. */
    @Scheduled(identity = "fleetward-poll", every = "{fleetward.source.poll-interval}",
            delayed = "{fleetward.source.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        long jitterMillis = ThreadLocalRandom.current().nextLong(source.pollInterval().toMillis() / 10 + 1);
        loop.requestLater("timer", true, Duration.ofMillis(jitterMillis));
    }
}
