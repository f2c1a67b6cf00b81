package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.Ledger;
import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.evaluate.Evaluation;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Observation;
import io.fleetward.source.GitSource;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Step 5 (exact mode): starts the evaluations of the desired paths that drift resolution needs, and
 * only those: a target whose kind has an evaluate command, not deploying, running some path, and
 * that the path rules call drifted at the inventory's revision (a relevant path changed, an
 * out-of-band change). A target the rules call in sync is never evaluated; one never deployed is
 * deployed without. A path evaluated before, in this run or an earlier one ({@link SavedEvaluations}),
 * is taken as it is. Evaluations run on their own bounded pool with their own time limit; the pass
 * does not wait for them: each hands its result back as an event, and one more pass runs then.
 * Reads the inventory, observations and the ledger; sets the targets being evaluated and the
 * desired paths known. Never ends the pass.
 */
final class EvaluateDesired implements Step {
    private static final Logger LOG = Logger.getLogger(EvaluateDesired.class);

    private final DesiredPaths desiredPaths;
    private final DriftResolver resolver;
    private final Ledger ledger;
    private final GitSource source;
    private final SavedEvaluations saved;
    private final FleetState state;
    private final EventQueue events;
    private final Executor evaluations;
    private final Runnable requestPass;

    EvaluateDesired(DesiredPaths desiredPaths, DriftResolver resolver, Ledger ledger, GitSource source,
                    SavedEvaluations saved, FleetState state, EventQueue events, Executor evaluations,
                    Runnable requestPass) {
        this.desiredPaths = desiredPaths;
        this.resolver = resolver;
        this.ledger = ledger;
        this.source = source;
        this.saved = saved;
        this.state = state;
        this.events = events;
        this.evaluations = evaluations;
        this.requestPass = requestPass;
    }

    @Override
    public String name() {
        return "evaluate desired paths";
    }

    @Override
    public StepResult run(Pass pass) {
        Inventory fleet = pass.inventory;
        String revision = fleet.revision();
        state.evaluationsAt(revision);
        for (Target target : fleet.targets()) {
            TargetId id = target.id();
            if (!desiredPaths.evaluates(target.kind()) || state.running.containsKey(id)
                    || state.desiredPaths.containsKey(id) || state.evaluating.contains(id)
                    || state.evaluationFailures.containsKey(id)) {
                continue;
            }
            Observation observation = state.observations.get(id);
            if (observation == null || !observation.reachable() || observation.currentPath() == null) {
                continue;
            }
            Drift byRules = resolver.resolve(target, revision, observation, ledger, source, fleet.allUsers(),
                    Optional.empty());
            pass.driftByRules.put(id, byRules);
            if (!byRules.drifted()) {
                continue;
            }
            Optional<String> known = saved.find(revision, id);
            if (known.isPresent()) {
                state.desiredPaths.put(id, known.get());
            } else {
                start(target, revision);
            }
        }
        return StepResult.CONTINUE;
    }

    private void start(Target target, String revision) {
        state.evaluating.add(target.id());
        try {
            evaluations.execute(() -> {
                Evaluation result = evaluate(target, revision);
                if (result != null) {
                    events.add(new LoopEvent.EvaluationFinished(target.id(), revision, result));
                    requestPass.run();
                }
            });
        } catch (RejectedExecutionException e) {
            state.evaluating.remove(target.id()); // shutting down
        }
    }

    /** The evaluation, or null when it was interrupted (shutting down). */
    private Evaluation evaluate(Target target, String revision) {
        try {
            return desiredPaths.evaluate(target, revision);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            LOG.errorf(e, "evaluation of %s failed unexpectedly", target.id());
            return Evaluation.failed("failed unexpectedly: " + e.getClass().getSimpleName());
        }
    }
}
