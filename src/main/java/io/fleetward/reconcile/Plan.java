package io.fleetward.reconcile;

import java.util.List;

/**
 * What to do now.
 *
 * @param deployments to start now, in order: first attempts before retries, then by target id
 * @param deferred    targets that need a deployment but wait, by target id
 */
public record Plan(List<PlannedDeployment> deployments, List<Deferral> deferred) {
    public Plan {
        deployments = List.copyOf(deployments);
        deferred = List.copyOf(deferred);
    }
}
