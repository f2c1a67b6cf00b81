package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.time.Instant;

/**
 * A target that needs a deployment the plan does not start now, and why ("suspended", "retry 2 of 5 in 10s", ...).
 *
 * @param nextOpening when a maintenance window that holds the target lets it deploy next, or null
 */
public record Deferral(TargetId target, String reason, Instant nextOpening) {
    public Deferral(TargetId target, String reason) {
        this(target, reason, null);
    }
}
