package io.fleetward.reconcile;

import io.fleetward.fleet.Target;
import io.fleetward.observe.Observation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Step 4: probes the targets never observed that are not deploying (at start-up, a target that
 * joined, or one whose deployment was interrupted). Every other target is planned from what it
 * last showed: observation runs on its own schedule ({@link ProbeRounds}), and a target about to
 * deploy is probed again just before ({@link ObserveBeforeDeploy}), so a fetch pass (a new
 * revision, a poll) probes nothing it already knows. Probes run on the probe pool and only return
 * what they saw; this step takes their observations on the pass thread. Sets observations and the
 * targets being probed. Never ends the pass.
 */
final class Observe implements Step {
    private static final Logger LOG = Logger.getLogger(Observe.class);

    private final MachineProbe prober;
    private final FleetState state;
    private final Executor probes;
    private final Duration reportFreshFor;
    private final Clock clock;

    Observe(MachineProbe prober, FleetState state, Executor probes, Duration reportFreshFor, Clock clock) {
        this.prober = prober;
        this.state = state;
        this.probes = probes;
        this.reportFreshFor = reportFreshFor;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "observe";
    }

    @Override
    public StepResult run(Pass pass) {
        List<Target> never = new ArrayList<>();
        for (Target target : pass.inventory.targets()) {
            if (!state.running.containsKey(target.id()) && !state.probing.contains(target.id())
                    && !state.observations.containsKey(target.id())) {
                never.add(target);
            }
        }
        return awaitProbes(never, pass);
    }

    /** Probes {@code targets} in parallel on the probe pool and takes what they show; waits for all. */
    StepResult awaitProbes(List<Target> targets, Pass pass) {
        List<CompletableFuture<Observation>> results = new ArrayList<>();
        List<Long> tickets = new ArrayList<>();
        for (Target target : targets) {
            tickets.add(state.probeTicket());
            results.add(CompletableFuture.supplyAsync(() -> probe(target), probes));
        }
        for (int i = 0; i < results.size(); i++) {
            try {
                Observation observation = results.get(i).get();
                if (observation != null) {
                    state.observe(observation, tickets.get(i), clock.instant(), reportFreshFor);
                }
                pass.probedNow.add(targets.get(i).id());
            } catch (ExecutionException e) {
                LOG.errorf(e.getCause(), "probe of %s failed unexpectedly", targets.get(i).id());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return StepResult.stop("interrupted while probing (shutting down)");
            }
        }
        return StepResult.CONTINUE;
    }

    /** What the machine reports, or null when probing failed in an unexpected way (logged). */
    private Observation probe(Target target) {
        try {
            return prober.probe(target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            LOG.errorf(e, "probe of %s failed unexpectedly", target.id());
            return null;
        }
    }
}
