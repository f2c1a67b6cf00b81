package io.fleetward.api;

import io.fleetward.fleet.TargetId;
import io.fleetward.reconcile.ReportOutcome;
import java.util.List;

/**
 * The answer to a check-in: which targets the report observed, which of them drift, and whether a
 * reconcile was triggered to converge them.
 */
public record ReportJson(String host, List<String> observed, List<String> drifted, boolean reconcileTriggered) {

    static ReportJson of(String host, ReportOutcome outcome) {
        return new ReportJson(host, ids(outcome.observed()), ids(outcome.drifted()), outcome.reconcileTriggered());
    }

    private static List<String> ids(List<TargetId> ids) {
        return ids.stream().map(TargetId::toString).toList();
    }
}
