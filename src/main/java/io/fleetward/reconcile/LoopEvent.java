package io.fleetward.reconcile;

import io.fleetward.evaluate.Evaluation;
import io.fleetward.execute.DeploymentRequest;
import io.fleetward.execute.DeploymentResult;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.HostReport;
import io.fleetward.observe.Observation;

/**
 * Something another thread hands to the pass thread (a probe or deployment ended, a host checked
 * in, an operator asked for something). Events are queued and the next pass applies them first, in
 * arrival order ({@link ApplyEvents}): no other thread changes the fleet state.
 */
sealed interface LoopEvent {
    /** A background probe ended; its {@code ticket} tells whether a newer observation already replaced it. */
    record ProbeFinished(Observation observation, long ticket) implements LoopEvent {
    }

    /** Exact mode: an evaluation of {@code target}'s desired path at {@code revision} ended. */
    record EvaluationFinished(TargetId target, String revision, Evaluation evaluation) implements LoopEvent {
    }

    record DeploymentFinished(DeploymentRequest request, DeploymentResult result) implements LoopEvent {
    }

    record CheckIn(HostReport report) implements LoopEvent {
    }

    record Sync(TargetId target) implements LoopEvent {
    }

    /** An operator asked to roll {@code target} back to the path it ran before its last deployment. */
    record Rollback(TargetId target) implements LoopEvent {
    }

    record Suspend(TargetId target, String reason) implements LoopEvent {
    }

    record Resume(TargetId target) implements LoopEvent {
    }

    record PauseFleet(String reason) implements LoopEvent {
    }

    record ResumeFleet() implements LoopEvent {
    }

    /**
     * An operator accepts {@code revision} once although it does not descend from the revision
     * deployed from; {@code by} says who (for the log).
     */
    record AcceptRevision(String revision, String by) implements LoopEvent {
    }

    /** An operator continues the halted rollout of the desired revision. */
    record ResumeRollout() implements LoopEvent {
    }
}
