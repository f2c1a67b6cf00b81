package io.fleetward.api;

import io.fleetward.reconcile.ReconcileLoop;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a first fetch of the desired-state repository succeeded. */
@Readiness
@ApplicationScoped
public class SourceReadiness implements HealthCheck {
    @Inject
    ReconcileLoop loop;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("source").status(loop.ready()).build();
    }
}
