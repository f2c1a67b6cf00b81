package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;

/**
 * A deployment the plan starts now.
 *
 * @param revision the desired revision to deploy
 * @param reason   why: the drift reason, or "requested" when it was asked for
 * @param attempt  1 for the first attempt at {@code revision}, then one more per failed attempt
 */
public record PlannedDeployment(TargetId target, String revision, String reason, int attempt) {
}
