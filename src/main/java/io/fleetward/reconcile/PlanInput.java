package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner decides from.
 *
 * @param drifts      the drift of every target
 * @param retries     failed-attempt state by target
 * @param suspended   targets an operator suspended: never deployed
 * @param busyHosts   hosts with a deployment running now
 * @param forced      targets to deploy even when in sync (an API sync request); they also run while paused
 * @param freeSlots   how many more deployments may start now (parallelism minus running)
 * @param maxAttempts attempts per revision before giving up
 * @param paused      whether the fleet is paused
 * @param now         the planning instant, compared with retry times
 * @param held        targets the rollout holds back (their wave has not started, the rollout is halted, or a
 *                    maintenance window is closed), with why; decided before planning, forced targets included
 */
public record PlanInput(List<Drift> drifts, Map<TargetId, RetryState> retries, Set<TargetId> suspended,
                        Set<String> busyHosts, Set<TargetId> forced, int freeSlots, int maxAttempts, boolean paused,
                        Instant now, Map<TargetId, Deferral> held) {
    public PlanInput {
        drifts = List.copyOf(drifts);
        retries = Map.copyOf(retries);
        suspended = Set.copyOf(suspended);
        busyHosts = Set.copyOf(busyHosts);
        forced = Set.copyOf(forced);
        held = Map.copyOf(held);
    }

    /** Input with nothing held back by the rollout. */
    public PlanInput(List<Drift> drifts, Map<TargetId, RetryState> retries, Set<TargetId> suspended,
                     Set<String> busyHosts, Set<TargetId> forced, int freeSlots, int maxAttempts, boolean paused,
                     Instant now) {
        this(drifts, retries, suspended, busyHosts, forced, freeSlots, maxAttempts, paused, now, Map.of());
    }
}
