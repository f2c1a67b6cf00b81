package io.fleetward.store;

/** How a deployment ended, or {@link #RUNNING} while it has not. */
public enum DeploymentOutcome {
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    /** Stopped by a shutdown, or found still RUNNING when fleetward started again after a crash. */
    INTERRUPTED,
    /** Planned and logged, but no deploy command ran. */
    DRY_RUN
}
