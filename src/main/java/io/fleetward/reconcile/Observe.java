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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Step 4: probes the targets never observed that are not deploying (at start-up, a target that
 * joined, or one whose deployment was interrupted), and waits for them; on a fetch pass, also
 * those last seen unreachable or known only by their check-ins, in the background (they may take
 * the whole connect timeout). Every other target is planned from what it last showed: observation runs on its own schedule ({@link ProbeRounds}), and a target about to
 * deploy is probed again just before ({@link ObserveBeforeDeploy}), so a fetch pass (a new
 * revision, a poll) probes nothing it already knows. Probes run on the probe pool and only return
 * what they saw; this step takes their observations on the pass thread. Sets observations and the
 * targets being probed. Never ends the pass.
 */
final class Observe implements Step {
    private static final Logger LOG = Logger.getLogger(Observe.class);

    private final MachineProbe prober;
    private final FleetState state;
    private final EventQueue events;
    private final Executor probes;
    private final Executor reprobes;
    private final Runnable requestPass;
    private final Duration reportFreshFor;
    private final Clock clock;

    Observe(MachineProbe prober, FleetState state, EventQueue events, Executor probes, Executor reprobes,
            Runnable requestPass, Duration reportFreshFor, Clock clock) {
        this.prober = prober;
        this.state = state;
        this.events = events;
        this.probes = probes;
        this.reprobes = reprobes;
        this.requestPass = requestPass;
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
        List<Target> background = new ArrayList<>();
        for (Target target : pass.inventory.targets()) {
            if (state.running.containsKey(target.id()) || state.probing.contains(target.id())) {
                continue;
            }
            Observation last = state.observations.get(target.id());
            if (last == null) {
                never.add(target);
            } else if (pass.fetch && (!last.reachable() || last == state.reports.get(target.id()))) {
                background.add(target);
            }
        }
        probeInBackground(background);
        return awaitProbes(never, pass);
    }

    /**
     * Machines last seen unreachable, or known only by their check-ins (behind NAT), may take the
     * whole connect timeout: on a fetch pass they are probed without holding up the pass; their
     * results come back as events, and one more pass runs when the last is in.
     */
    private void probeInBackground(List<Target> targets) {
        AtomicInteger left = new AtomicInteger(targets.size());
        for (Target target : targets) {
            long ticket = state.probeTicket();
            state.probing.add(target.id());
            try {
                reprobes.execute(() -> {
                    Observation observation = probe(target);
                    events.add(new LoopEvent.ProbeFinished(observation != null ? observation
                            : Observation.unreachable(target.id(), clock.instant(), "probe failed"), ticket));
                    if (left.decrementAndGet() == 0) {
                        requestPass.run();
                    }
                });
            } catch (RejectedExecutionException e) {
                state.probing.remove(target.id()); // shutting down
            }
        }
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
