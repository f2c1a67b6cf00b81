package io.fleetward.reconcile;

/**
 * One named step of a reconcile pass. Steps run on the pass thread, in the order the loop lists
 * them, and may read and write the {@link FleetState}; nothing else may. Each implementation's
 * comment says what it reads, what it sets, and when it ends the pass.
 */
interface Step {
    /** A short name for logs: "fetch source", "observe", ... */
    String name();

    StepResult run(Pass pass);
}
