package io.fleetward.api;

import io.fleetward.reconcile.FleetControl;
import java.time.Instant;

/** Whether automatic deployments are paused fleet-wide, why and since when (probing goes on while paused). */
public record FleetJson(boolean paused, String reason, Instant since) {

    static FleetJson of(FleetControl control) {
        return new FleetJson(control.paused(), control.reason(), control.since());
    }
}
