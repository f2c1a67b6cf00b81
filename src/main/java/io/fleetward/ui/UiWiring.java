package io.fleetward.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.config.SourceConfig;
import io.fleetward.config.UiConfig;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.store.DeploymentStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the dashboard's live updates from the configuration, at start-up so a bad limit stops the daemon. */
public class UiWiring {

    @Produces
    @Singleton
    @Startup
    LiveUpdates liveUpdates(ReconcileLoop loop, DeploymentStore deployments, ObjectMapper json, SourceConfig source,
                            UiConfig ui, DashboardMetrics metrics) {
        if (ui.logPageBytes() < 1024) {
            throw new IllegalArgumentException("fleetward.ui.log-page-bytes: must be at least 1024, got "
                    + ui.logPageBytes());
        }
        return new LiveUpdates(loop, deployments, json, metrics, source.runsDemo(), ui.maxStreams());
    }

    void close(@Disposes LiveUpdates live) {
        live.close();
    }
}
