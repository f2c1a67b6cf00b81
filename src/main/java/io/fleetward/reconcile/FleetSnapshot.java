package io.fleetward.reconcile;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.TargetId;
import io.fleetward.rollout.RolloutStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet as the last pass left it, immutable: what every thread but the pass thread reads
 * (the API, readiness, check-ins). Published at the end of each pass.
 *
 * @param inventory      the inventory deployed from, or null before the first
 * @param targets        every target with its status, sorted by id
 * @param plan           what the loop would start now, and what waits and why
 * @param lastFetch      the last fetch
 * @param stall          the refused newer revision and why, or null
 * @param desiredPaths   exact mode: the evaluated desired paths at the inventory's revision
 * @param verification   the source checks' decision on the newest fetched revision, or null
 * @param deployedFrom   the last revision deployed from (anti-rollback), or null
 * @param rollout        where the rollout of the desired revision stands, or null before the first plan
 */
record FleetSnapshot(Inventory inventory, List<TargetView> targets, PlanView plan, FleetControl fleetControl,
                     FleetState.FetchState lastFetch, Stall stall, Map<TargetId, String> desiredPaths,
                     Map<TargetId, TargetView> byId, SourceVerification verification, DeployedFrom deployedFrom,
                     RolloutStatus rollout) {

    static final FleetSnapshot EMPTY = new FleetSnapshot(null, List.of(), new PlanView(null, false, List.of(),
            List.of()), FleetControl.RUNNING, FleetState.FetchState.NONE, null, Map.of(), null, null, null);

    FleetSnapshot(Inventory inventory, List<TargetView> targets, PlanView plan, FleetControl fleetControl,
                  FleetState.FetchState lastFetch, Stall stall, Map<TargetId, String> desiredPaths,
                  SourceVerification verification, DeployedFrom deployedFrom, RolloutStatus rollout) {
        this(inventory, List.copyOf(targets), plan, fleetControl, lastFetch, stall, Map.copyOf(desiredPaths),
                index(targets), verification, deployedFrom, rollout);
    }

    /** Why the inventory at the refused revision was refused, or null. */
    String inventoryError() {
        return stall != null && stall.refusal() == Refusal.INVENTORY ? stall.reason() : null;
    }

    Optional<TargetView> target(TargetId id) {
        return Optional.ofNullable(byId.get(id));
    }

    Optional<Host> host(String name) {
        return inventory == null ? Optional.empty() : Optional.ofNullable(inventory.hosts().get(name));
    }

    private static Map<TargetId, TargetView> index(List<TargetView> targets) {
        Map<TargetId, TargetView> byId = new LinkedHashMap<>();
        targets.forEach(view -> byId.put(view.target().id(), view));
        return java.util.Collections.unmodifiableMap(byId);
    }
}
