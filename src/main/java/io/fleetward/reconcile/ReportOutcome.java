package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.util.List;

/**
 * What a host's check-in changed.
 *
 * @param observed           the targets the report gave an observation for
 * @param drifted            those of them that need a deployment
 * @param reconcileTriggered whether a reconcile pass was started for them at once
 */
public record ReportOutcome(List<TargetId> observed, List<TargetId> drifted, boolean reconcileTriggered) {
    public ReportOutcome {
        observed = List.copyOf(observed);
        drifted = List.copyOf(drifted);
    }
}
