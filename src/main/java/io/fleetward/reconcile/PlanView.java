package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.util.List;

/**
 * What the loop would deploy now, in which order and why, and what waits and why.
 *
 * @param desiredRevision the revision being reconciled to, or null before the first inventory
 * @param paused          whether automatic deployments are paused
 * @param deployments     what would start now, in start order
 * @param deferred        targets that need a deployment but wait
 */
public record PlanView(String desiredRevision, boolean paused, List<Step> deployments, List<Deferral> deferred) {
    public PlanView {
        deployments = List.copyOf(deployments);
        deferred = List.copyOf(deferred);
    }

    /** One deployment that would start, numbered from 1. */
    public record Step(int order, TargetId target, String revision, int attempt, String reason) {
    }
}
