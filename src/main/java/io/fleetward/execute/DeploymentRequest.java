package io.fleetward.execute;

import io.fleetward.fleet.Target;
import io.fleetward.observe.Observation;

/**
 * @param trigger what asked for it: {@code timer}, {@code startup}, {@code retry}, {@code api}, ...
 * @param forced  deploy even if the machine is in sync (a requested sync): an unchanged path is then no failure
 * @param before  the observation the decision was based on (its path is compared after the deploy)
 */
public record DeploymentRequest(Target target, String revision, String reason, String trigger, int attempt,
                                boolean forced, Observation before) {
}
