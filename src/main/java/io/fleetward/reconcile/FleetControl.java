package io.fleetward.reconcile;

import java.time.Instant;

/**
 * Whether automatic deployments are paused fleet-wide (probing goes on; requested syncs still run).
 *
 * @param reason why it was paused, or null
 * @param since  when it was last paused or resumed, or null when never
 */
public record FleetControl(boolean paused, String reason, Instant since) {
    /** Never paused. */
    public static final FleetControl RUNNING = new FleetControl(false, null, null);
}
