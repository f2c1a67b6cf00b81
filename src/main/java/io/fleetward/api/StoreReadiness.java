package io.fleetward.api;

import io.fleetward.store.DataDirSpace;
import io.fleetward.store.Database;
import io.fleetward.store.StoreException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Objects;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready while the database answers and the data dir has room. Checked on every readiness probe and
 * every 15 s in between, so that an outage and its end are logged once each (and show in the
 * {@code fleetward_store_up} metric) even when nobody asks.
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(StoreReadiness.class);

    @Inject
    Database database;

    @Inject
    DataDirSpace space;

    /** Why the store is not usable now, or null; as of the last check. */
    private volatile String problem;

    @Override
    public HealthCheckResponse call() {
        String now = check();
        return now == null ? HealthCheckResponse.named("store").up().build()
                : HealthCheckResponse.named("store").down().withData("reason", now).build();
    }

    @Scheduled(identity = "fleetward-store-watch", every = "15s", delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watch() {
        check();
    }

    /** Whether the last check found the store usable. */
    public boolean up() {
        return problem == null;
    }

    private synchronized String check() {
        String found = space.shortage();
        if (found == null) {
            try {
                database.check();
            } catch (StoreException e) {
                found = e.getMessage();
            }
        }
        if (!Objects.equals(found, problem)) {
            if (found != null) {
                LOG.warnf("store: not usable: %s; deployments wait, reads from memory go on", found);
            } else {
                LOG.infof("store: usable again");
            }
        }
        problem = found;
        return found;
    }
}
