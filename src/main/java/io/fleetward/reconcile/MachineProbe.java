package io.fleetward.reconcile;

import io.fleetward.fleet.Target;
import io.fleetward.observe.Observation;

/** Asks a machine what it runs now (the loop's view of {@code observe.Prober}). */
@FunctionalInterface
public interface MachineProbe {
    /** Never throws for a machine problem: that is an unreachable observation. */
    Observation probe(Target target) throws InterruptedException;
}
