package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.List;

/** Deployments that a crash or a kill left RUNNING: the loop closes them when it starts. */
public interface UnfinishedDeployments {

    /** Every deployment still RUNNING, oldest first: at start-up, the ones the last process left behind. */
    List<Unfinished> running();

    /**
     * Marks deployment {@code id} INTERRUPTED with {@code reason}, ended {@code at}, if it is still
     * RUNNING; returns whether it was.
     */
    boolean interrupt(long id, String reason, Instant at);

    /**
     * The targets whose latest deployment ended ROLLED_BACK, with the revision rolled back from: after a
     * restart that revision is still not deployed there again. None by default.
     */
    default List<RolledBack> rolledBack() {
        return List.of();
    }

    /** The latest deployment of {@code target} rolled it back from {@code revision}, for {@code reason}. */
    record RolledBack(TargetId target, String revision, String reason) {
    }

    /**
     * A deployment still RUNNING.
     *
     * @param processGroup the process group its command led on the controller, or null when none was
     *                     recorded (it ran over SSH, had not started its command, or predates the record)
     */
    record Unfinished(long id, TargetId target, Long processGroup) {
    }
}
