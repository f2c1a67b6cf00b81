package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;

/** A target that needs a deployment the plan does not start now, and why ("suspended", "retry 2 of 5 in 10s", ...). */
public record Deferral(TargetId target, String reason) {
}
