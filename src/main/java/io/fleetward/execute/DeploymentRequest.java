package io.fleetward.execute;

import io.fleetward.fleet.Target;
import io.fleetward.observe.Observation;

/**
 * @param trigger what asked for it: {@code timer}, {@code startup}, {@code retry}, {@code api}, ...
 * @param forced  deploy even if the machine is in sync (a requested sync): an unchanged path is then no failure
 * @param before  the observation the decision was based on (its path is compared after the deploy)
 * @param rollbackTo an operator's rollback: the path to activate again instead of deploying {@code revision}
 *                (which is the revision rolled back from); null for a deployment
 */
public record DeploymentRequest(Target target, String revision, String reason, String trigger, int attempt,
                                boolean forced, Observation before, String rollbackTo) {

    /** A deployment of {@code revision}. */
    public DeploymentRequest(Target target, String revision, String reason, String trigger, int attempt,
                             boolean forced, Observation before) {
        this(target, revision, reason, trigger, attempt, forced, before, null);
    }

    /** The path the target ran before this deployment, from the observation it was planned on; null when none. */
    public String previousPath() {
        return before == null ? null : before.currentPath();
    }
}
