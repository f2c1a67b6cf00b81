package io.fleetward.execute;

/** How a deployment ended, or {@link #RUNNING} while it has not. */
public enum DeploymentOutcome {
    RUNNING,
    SUCCEEDED,
    /**
     * The command exited 0 and the machine still runs the path it ran before: it already ran the
     * desired configuration (a deploy that finished while fleetward was down, or one run by hand).
     */
    UNCHANGED,
    FAILED,
    TIMED_OUT,
    /** Stopped by a shutdown, or found still RUNNING when fleetward started again after a crash. */
    INTERRUPTED,
    /** Planned and logged, but no deploy command ran. */
    DRY_RUN,
    /**
     * The deploy was verified but its health gate failed (or an operator asked for a rollback), and the
     * target was rolled back to the path it ran before: it is not deployed at this revision again.
     */
    ROLLED_BACK
}
