package io.fleetward.rollout;

/** Where one target stands in the rollout of a revision, as the loop tells the policy. */
public enum TargetPhase {
    /** In sync at the revision (deployed and verified, or the revision does not affect it). */
    DONE,
    /** Needs a deployment, is deploying, or retries after a transient failure: holds its wave. */
    WAITING,
    /** Unreachable, or suspended by an operator: deployed when it is back, never holds its wave. */
    PENDING,
    /** A deployment at the revision failed (the deploy command, or its health gate rolled it back). */
    FAILED
}
