package io.fleetward.reconcile;

import io.fleetward.evaluate.Evaluation;
import io.fleetward.execute.DeploymentOutcome;
import io.fleetward.execute.DeploymentRequest;
import io.fleetward.execute.DeploymentResult;
import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.HostReport;
import io.fleetward.observe.Observation;
import io.fleetward.rollout.RolloutProgress;
import io.fleetward.rollout.TargetPhase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Step 1: applies what other threads handed over since the last pass, in arrival order: probe,
 * evaluation and deployment results, check-ins, and operators' requests (sync, suspend, resume, pause, resume
 * fleet). Reads the event queue; sets observations, retries, running, suspended, forced, reports
 * and the fleet control. An operator's request that no longer holds (the target left, or was
 * suspended or started deploying meanwhile) is answered with its refusal. A finished deployment is
 * told ({@link FleetEvents}: succeeded or failed). Never ends the pass.
 */
final class ApplyEvents implements Step {
    private static final Logger LOG = Logger.getLogger(ApplyEvents.class);

    private final EventQueue events;
    private final FleetState state;
    private final PauseSwitch pause;
    private final Backoff backoff;
    private final Duration reportFreshFor;
    private final Clock clock;
    private final SavedEvaluations evaluations;
    private final FleetEvents fleetEvents;

    ApplyEvents(EventQueue events, FleetState state, PauseSwitch pause, Backoff backoff,
                Duration reportFreshFor, Clock clock, SavedEvaluations evaluations, FleetEvents fleetEvents) {
        this.evaluations = evaluations;
        this.fleetEvents = fleetEvents;
        this.events = events;
        this.state = state;
        this.pause = pause;
        this.backoff = backoff;
        this.reportFreshFor = reportFreshFor;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "apply events";
    }

    @Override
    public StepResult run(Pass pass) {
        for (EventQueue.Entry entry : events.drain()) {
            try {
                apply(entry.event());
                takenNow(entry.event(), pass);
                if (entry.answer() != null) {
                    pass.answers.add(entry.answer());
                }
            } catch (ControlException e) {
                LOG.infof("request refused: %s", e.getMessage());
                refuse(entry, e);
            } catch (RuntimeException e) {
                // The store may fail under a request (pause is saved at once): the others still apply.
                LOG.errorf(e, "could not apply %s", entry.event());
                refuse(entry, e);
            }
        }
        return StepResult.CONTINUE;
    }

    /** A probe result or check-in this pass took is what the machine shows now: not probed again before a deploy. */
    private void takenNow(LoopEvent event, Pass pass) {
        if (event instanceof LoopEvent.ProbeFinished probe) {
            TargetId id = probe.observation().target();
            if (state.observations.get(id) == probe.observation()) {
                pass.probedNow.add(id);
            }
        } else if (event instanceof LoopEvent.CheckIn checkIn) {
            state.reports.forEach((id, report) -> {
                if (id.host().equals(checkIn.report().host()) && state.observations.get(id) == report) {
                    pass.probedNow.add(id);
                }
            });
        }
    }

    private static void refuse(EventQueue.Entry entry, RuntimeException why) {
        if (entry.answer() != null) {
            entry.answer().completeExceptionally(why);
        }
    }

    /** Applies one event; also used at shutdown for the events that arrived after the last pass. */
    void apply(LoopEvent event) {
        if (event instanceof LoopEvent.ProbeFinished probe) {
            state.probing.remove(probe.observation().target());
            state.observe(probe.observation(), probe.ticket(), clock.instant(), reportFreshFor);
        } else if (event instanceof LoopEvent.EvaluationFinished evaluated) {
            evaluated(evaluated);
        } else if (event instanceof LoopEvent.DeploymentFinished done) {
            finished(done.request(), done.result());
            fleetEvents.deploymentFinished(done.request(), done.result());
        } else if (event instanceof LoopEvent.CheckIn checkIn) {
            checkIn(checkIn.report());
        } else if (event instanceof LoopEvent.Sync sync) {
            sync(sync.target());
        } else if (event instanceof LoopEvent.Rollback rollback) {
            rollback(rollback.target());
        } else if (event instanceof LoopEvent.Suspend suspend) {
            requireTarget(suspend.target());
            if (state.suspended.add(suspend.target())) {
                state.forced.remove(suspend.target());
                LOG.infof("%s suspended: %s", suspend.target(), orNone(suspend.reason()));
            }
        } else if (event instanceof LoopEvent.Resume resume) {
            requireTarget(resume.target());
            if (state.suspended.remove(resume.target())) {
                LOG.infof("%s resumed", resume.target());
            }
        } else if (event instanceof LoopEvent.PauseFleet pause) {
            setPaused(true, pause.reason());
        } else if (event instanceof LoopEvent.ResumeFleet) {
            setPaused(false, null);
        } else if (event instanceof LoopEvent.AcceptRevision accept) {
            SourceRefusals.requireNotADescendant(state.verification, accept.revision());
            state.acceptOnce = accept;
            LOG.infof("source: %s accepts revision %s once, although it does not descend from the revision deployed from",
                    accept.by(), accept.revision());
        } else if (event instanceof LoopEvent.ResumeRollout) {
            resumeRollout();
        }
    }

    /**
     * Takes an evaluation at the revision the loop evaluates now (one at an older revision only
     * keeps its path for later); a successful one is saved, so no restart evaluates it again.
     */
    private void evaluated(LoopEvent.EvaluationFinished finished) {
        Evaluation evaluation = finished.evaluation();
        if (finished.revision().equals(state.evaluatedRevision)) {
            state.evaluating.remove(finished.target());
            if (evaluation.succeeded()) {
                state.desiredPaths.put(finished.target(), evaluation.path());
            } else {
                state.evaluationFailures.put(finished.target(), evaluation.error());
            }
        }
        if (evaluation.succeeded()) {
            try {
                evaluations.save(finished.revision(), finished.target(), evaluation.path(), clock.instant());
            } catch (RuntimeException e) {
                LOG.warnf("%s: could not save the evaluated path: %s", finished.target(), e.getMessage());
            }
        }
    }

    private void finished(DeploymentRequest request, DeploymentResult result) {
        TargetId id = request.target().id();
        state.running.remove(id);
        // What the deployment left is newer than any probe sent before it ended; unknown after an interrupt.
        if (result.after() != null || result.outcome() == DeploymentOutcome.INTERRUPTED) {
            state.observeNow(id, result.after());
        }
        if (result.note() != null) {
            state.notes.put(id, new FleetState.DeploymentNote(request.revision(), result.note()));
        } else if (result.outcome() != DeploymentOutcome.INTERRUPTED) {
            state.notes.remove(id);
        }
        if (result.outcome() == DeploymentOutcome.SUCCEEDED && request.rollbackTo() == null
                && request.previousPath() != null && result.after() != null
                && !request.previousPath().equals(result.after().currentPath())) {
            state.previousPaths.put(id, request.previousPath());
        }
        if (result.failure() == DeploymentResult.Failure.ROLLED_BACK) {
            // A bad revision is not deployed on this target again (a new revision starts over).
            RetryState held = RetryState.rolledBack(state.retries.get(id), id, request.revision(), result.reason(),
                    clock.instant());
            state.retries.put(id, held);
            LOG.infof("%s %s at %s: %s; not deployed at %s again until the revision moves", id,
                    result.outcome() == DeploymentOutcome.ROLLED_BACK ? "rolled back" : "failed and was not rolled back",
                    CommitId.abbreviate(request.revision()), result.reason(), CommitId.abbreviate(request.revision()));
            return;
        }
        switch (result.outcome()) {
            case SUCCEEDED, UNCHANGED -> state.retries.remove(id);
            case DRY_RUN -> state.dryRunDone.put(id, request.revision());
            case INTERRUPTED -> {
            }
            default -> {
                boolean transientFailure = result.failure() == DeploymentResult.Failure.TRANSIENT;
                // Nothing ran when the store could not record the start: not an attempt, so no longer wait.
                RetryState retry = result.id() == DeploymentResult.NO_ROW
                        ? RetryState.notRun(state.retries.get(id), id, request.revision(), result.reason(),
                        clock.instant(), backoff)
                        : RetryState.afterFailure(state.retries.get(id), id, request.revision(), result.reason(),
                        transientFailure, clock.instant(), backoff);
                state.retries.put(id, retry);
                if (result.id() == DeploymentResult.NO_ROW) {
                    LOG.infof("%s: the deployment at %s did not start: %s; next try at %s", id,
                            CommitId.abbreviate(request.revision()), result.reason(), retry.notBefore());
                } else {
                    LOG.infof("%s failed %d time(s) at %s (%s): %s; %s", id, retry.failures(),
                            CommitId.abbreviate(request.revision()), transientFailure ? "transient" : "deploy command",
                            result.reason(), retry.gaveUp(backoff.maxAttempts()) ? "giving up until the revision moves"
                                    : "next attempt at " + retry.notBefore());
                }
            }
        }
    }

    /** A host's check-in is the observation of its system target and of the standalone users it reports. */
    private void checkIn(HostReport report) {
        Host host = state.inventory == null ? null : state.inventory.hosts().get(report.host());
        if (host == null) {
            LOG.infof("check-in from %s ignored: the host left the inventory", report.host());
            return;
        }
        int observed = 0;
        for (Target target : state.inventory.targets()) {
            if (!report.covers(target)) {
                continue;
            }
            Observation observation = report.observation(target);
            state.reports.put(target.id(), observation);
            if (!state.running.containsKey(target.id())) {
                state.observeNow(target.id(), observation);
            }
            observed++;
        }
        // The machine is back: attempts used up while it was away start over.
        // A rollback's hold stays: the revision is still bad for that machine.
        boolean retried = state.retries.values().removeIf(r -> r.target().host().equals(host.name()) && !r.rolledBack());
        LOG.infof("check-in from %s applied: %d target(s) observed%s", host.name(), observed,
                retried ? "; failed attempts forgotten" : "");
    }

    private void sync(TargetId id) {
        requireTarget(id);
        if (state.suspended.contains(id)) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " is suspended; resume it first");
        }
        if (state.running.containsKey(id)) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " is deploying now");
        }
        state.forced.add(id);
        LOG.infof("%s: sync requested: deploying it even if in sync", id);
    }

    /** Continues the halted rollout: the targets that failed at its revision so far no longer hold their wave. */
    private void resumeRollout() {
        RolloutProgress rollout = state.rollout;
        if (rollout == null || !rollout.isHalted()) {
            throw new ControlException(ControlException.Kind.CONFLICT, rollout == null ? "no rollout yet"
                    : "the rollout of " + CommitId.abbreviate(rollout.revision()) + " is not halted");
        }
        // The failed targets as the last pass judged them (the pass that halted, or a later one).
        List<TargetId> failed = new ArrayList<>();
        if (state.rolloutStatus != null) {
            state.rolloutStatus.waves().forEach(wave -> wave.targets().stream()
                    .filter(member -> member.phase() == TargetPhase.FAILED)
                    .forEach(member -> failed.add(member.target())));
        }
        failed.sort(null);
        state.rollout = rollout.resumed(failed);
        LOG.infof("rollout of %s resumed (was halted: %s); accepted failures: %s", CommitId.abbreviate(
                rollout.revision()), rollout.halted(), failed.isEmpty() ? "none" : failed);
    }

    /** An operator's rollback: planned once the host is free, to the path before the last deployment. */
    private void rollback(TargetId id) {
        requireTarget(id);
        if (state.running.containsKey(id)) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " is deploying now");
        }
        String previous = state.previousPaths.get(id);
        if (previous == null) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " has no deployment since fleetward "
                    + "started that changed its path: the path to roll back to is not known");
        }
        state.rollbacks.put(id, previous);
        LOG.infof("%s: rollback requested to %s", id, io.fleetward.fleet.StorePath.nameOf(previous));
    }

    private void setPaused(boolean paused, String reason) {
        FleetControl current = state.fleetControl;
        if (current.paused() == paused && (!paused || Objects.equals(reason, current.reason()))) {
            return;
        }
        FleetControl next = new FleetControl(paused, reason, clock.instant());
        pause.savePause(next);
        state.fleetControl = next;
        LOG.infof(paused ? "fleet paused: %s; automatic deployments are off, probing goes on" : "fleet resumed%s",
                paused ? orNone(reason) : "");
    }

    private void requireTarget(TargetId id) {
        if (state.target(id).isEmpty()) {
            throw new ControlException(ControlException.Kind.NOT_FOUND, "no target " + id);
        }
    }

    private static String orNone(String reason) {
        return reason == null ? "no reason given" : reason;
    }
}
