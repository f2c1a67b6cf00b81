package io.fleetward.execute;

import io.fleetward.observe.Observation;
import io.fleetward.store.DeploymentOutcome;

/**
 * @param after the re-probe after the command, or null when none was made
 */
public record DeploymentResult(long id, DeploymentOutcome outcome, Integer exitCode, String reason,
                               Observation after) {
    public boolean succeeded() {
        return outcome == DeploymentOutcome.SUCCEEDED;
    }
}
