package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.util.List;

/**
 * What a host's check-in changed.
 *
 * @param observed the targets the report gave an observation for
 * @param drifted  those of them that need a deployment
 */
public record ReportOutcome(List<TargetId> observed, List<TargetId> drifted) {
    public ReportOutcome {
        observed = List.copyOf(observed);
        drifted = List.copyOf(drifted);
    }

    /** Whether the pass the report started will deploy: some target drifted. */
    public boolean reconcileTriggered() {
        return !drifted.isEmpty();
    }
}
