package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.List;

/** Deployments that a crash or a kill left RUNNING: the loop closes them when it starts. */
public interface UnfinishedDeployments {

    /**
     * Marks every RUNNING deployment INTERRUPTED with {@code reason}, ended {@code at}, and returns
     * the ones it marked, oldest first.
     */
    List<Interrupted> interruptRunning(String reason, Instant at);

    /** A deployment that was still RUNNING and is now INTERRUPTED. */
    record Interrupted(long id, TargetId target) {
    }
}
