package io.fleetward.reconcile;

import io.fleetward.fleet.CommitId;
import org.jboss.logging.Logger;

/**
 * Step 5: once the inventory is at the revision {@link VerifySource} admitted, that revision is the
 * one deployed from: kept in the store before anything is deployed from it, so that neither a restart
 * nor a later force-push can roll the fleet back behind it. Reads the inventory and the admitted
 * revision; sets the revision deployed from. Never ends the pass (a store failure fails it, and it runs again).
 */
final class RecordDeployedFrom implements Step {
    private static final Logger LOG = Logger.getLogger(RecordDeployedFrom.class);

    private final SavedDeployedFrom saved;
    private final FleetState state;

    RecordDeployedFrom(SavedDeployedFrom saved, FleetState state) {
        this.saved = saved;
        this.state = state;
    }

    @Override
    public String name() {
        return "record deployed-from revision";
    }

    @Override
    public StepResult run(Pass pass) {
        DeployedFrom admitted = state.admitted;
        String revision = pass.inventory.revision();
        if (admitted != null && admitted.revision().equals(revision)
                && (state.deployedFrom == null || !state.deployedFrom.revision().equals(revision))) {
            saved.save(admitted);
            state.deployedFrom = admitted;
            state.admitted = null;
            LOG.infof("source: deploying from %s now (%s)", CommitId.abbreviate(revision), admitted.how());
        }
        return StepResult.CONTINUE;
    }
}
