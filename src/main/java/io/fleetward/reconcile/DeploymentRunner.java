package io.fleetward.reconcile;

import io.fleetward.execute.DeploymentRequest;
import io.fleetward.execute.DeploymentResult;

/** Runs one deployment to its end (the loop's view of {@code execute.Deployer}). */
@FunctionalInterface
public interface DeploymentRunner {
    DeploymentResult deploy(DeploymentRequest request);
}
