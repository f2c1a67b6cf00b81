package io.fleetward.reconcile;

import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.fleet.Target;

/**
 * Step 5 (exact mode): evaluates the desired path of each target at the pass's revision, before
 * drift is resolved, so drift resolution only reads results. Reads the inventory; sets the desired
 * paths (a target whose evaluation is off or failed has none and falls back to revision-based
 * drift). Evaluations are cached per revision and target. Never ends the pass.
 */
final class EvaluateDesired implements Step {
    private final DesiredPaths desiredPaths;
    private final FleetState state;

    EvaluateDesired(DesiredPaths desiredPaths, FleetState state) {
        this.desiredPaths = desiredPaths;
        this.state = state;
    }

    @Override
    public String name() {
        return "evaluate desired paths";
    }

    @Override
    public StepResult run(Pass pass) {
        state.desiredPaths.clear();
        for (Target target : pass.inventory.targets()) {
            desiredPaths.desiredPath(target, pass.desiredRevision())
                    .ifPresent(path -> state.desiredPaths.put(target.id(), path));
        }
        return StepResult.CONTINUE;
    }
}
