package io.fleetward.reconcile;

import io.fleetward.fleet.Host;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.TargetId;
import io.fleetward.rollout.RolloutStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The reconcile loop. A pass is a short list of named steps run in order on the pass thread:
 * <pre>
 *   restore state -> apply events -> fetch source -> verify source -> read inventory
 *     -> record deployed-from revision -> observe -> evaluate desired paths -> resolve drift
 *     -> advance rollout -> observe before deploy -> plan and start      ... then always: publish
 * </pre>
 * Observation also runs on its own schedule ({@link ProbeRounds}: every host once per probe
 * interval, spread evenly), off the passes; a pass plans from the last observations and probes
 * only targets never observed and those about to deploy.
 * Each step returns what should happen next ({@link StepResult}); this class alone acts on it.
 * Triggers only nudge: every pass reads the desired state from the source, and triggers that
 * arrive during a pass coalesce into one more pass. Only the pass thread touches the
 * {@link FleetState}; every other thread hands over an event (a finished probe or deployment, or
 * through {@link FleetControls} an operator's request or a check-in) or reads the snapshot the
 * last pass published. In exact mode, evaluations of desired paths also run off the pass thread and
 * come back as events (see {@link EvaluateDesired}).
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);
    /** When a pass failed unexpectedly, the next one runs after this. */
    static final Duration AFTER_FAILED_PASS = Duration.ofSeconds(5);

    private final LoopParts parts;
    private final LoopSettings settings;
    private final LoopThreads threads;
    private final FleetState state = new FleetState();
    private final EventQueue events = new EventQueue();
    private final ApplyEvents applyEvents;
    private final List<Step> steps;
    private final Publish publish;
    private final FleetControls controls;
    private final ProbeRounds probeRounds;

    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicBoolean fetchQueued = new AtomicBoolean();
    private final Set<String> queuedTriggers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile FleetSnapshot snapshot = FleetSnapshot.EMPTY;
    /** The reason the loop last stalled for (pass thread only): a stall is logged once. */
    private String lastStall;
    /** The last failure of a pass, until a pass publishes (pass thread only). */
    private String lastFailure;

    public ReconcileLoop(LoopParts parts, LoopSettings settings, LoopThreads threads) {
        this.parts = parts;
        this.settings = settings;
        this.threads = threads;
        FleetEvents fleetEvents = new FleetEvents(parts.notifications(), parts.clock());
        this.applyEvents = new ApplyEvents(events, state, parts.pause(), settings.backoff(),
                settings.reportFreshFor(), parts.clock(), parts.evaluations(), fleetEvents);
        Planner planner = new Planner();
        Observe observe = new Observe(parts.prober(), state, events, threads.probes(), threads.reprobes(),
                () -> request("probes done", false), settings.reportFreshFor(), parts.clock());
        ResolveDrift resolveDrift = new ResolveDrift(parts.resolver(), parts.ledger(), parts.ledgerWriter(),
                parts.source(), state, parts.clock());
        AdvanceRollout advanceRollout = new AdvanceRollout(state, settings, parts.metrics(), threads.passes(),
                () -> request("rollout wake-up", false), parts.clock(), fleetEvents);
        this.steps = List.of(
                new RestoreState(parts.deployments(), parts.leftovers(), parts.statuses(), parts.pause(), state,
                        parts.clock()),
                applyEvents,
                new FetchSource(parts.source(), state, parts.metrics(), parts.clock()),
                new VerifySource(parts.source(), parts.trust(), state, parts.metrics(), parts.clock(), fleetEvents),
                new ReadInventory(parts.source(), parts.inventory(), state, parts.statuses(), parts.clock()),
                new RecordDeployedFrom(parts.trust().saved(), state),
                observe,
                new EvaluateDesired(parts.desiredPaths(), parts.resolver(), parts.ledger(), parts.source(),
                        parts.evaluations(), state, events, threads.evaluations(),
                        () -> request("evaluation done", false)),
                resolveDrift,
                advanceRollout,
                new ObserveBeforeDeploy(planner, state, settings, observe, resolveDrift, advanceRollout,
                        parts.clock()),
                new PlanAndStart(planner, state, settings, parts.deployer(), threads.deploys(), this::deploymentFinished,
                        parts.clock(), fleetEvents));
        this.probeRounds = new ProbeRounds(state, parts.prober(), events, threads.reprobes(), threads.passes(),
                trigger -> request(trigger, false), settings.probeInterval(), parts.clock());
        this.publish = new Publish(state, parts.statuses(), parts.metrics(), planner, settings, s -> snapshot = s,
                threads.passes(), () -> request("retry", false), parts.clock(), fleetEvents);
        this.controls = new FleetControls(events, () -> snapshot, trigger -> request(trigger, false), parts.resolver(),
                parts.ledger(), parts.source());
    }

    /** Where operators' requests and host check-ins go in. */
    public FleetControls controls() {
        return controls;
    }

    /** Start-up: the first pass restores what the last run saved, then fetches and converges. */
    public void start() {
        request("startup", true);
        probeRounds.start();
    }

    /**
     * Asks for a pass. Cheap and safe from any thread; a burst of requests yields at most one pass
     * after the one that is running.
     *
     * @param fetch whether the pass should fetch the source first
     */
    public void request(String trigger, boolean fetch) {
        if (stopping.get()) {
            return;
        }
        if (fetch) {
            fetchQueued.set(true);
        }
        queuedTriggers.add(trigger);
        if (passQueued.compareAndSet(false, true)) {
            threads.passes().execute(this::pass);
        }
    }

    /** Like {@link #request}, after {@code delay}. */
    public void requestLater(String trigger, boolean fetch, Duration delay) {
        if (!stopping.get()) {
            threads.passes().schedule(() -> request(trigger, fetch), delay);
        }
    }

    /** Called on a deployment's thread when it ended: the next pass applies it. */
    private void deploymentFinished(LoopEvent.DeploymentFinished finished) {
        events.add(finished);
        request("deployment finished", false);
    }

    /** One pass: the steps in order until one ends it, then publish. */
    private void pass() {
        passQueued.set(false);
        boolean fetch = fetchQueued.getAndSet(false);
        String trigger = String.join(",", new TreeSet<>(drain(queuedTriggers)));
        if (stopping.get()) {
            return;
        }
        probeRounds.applied(); // this pass applies every probe result handed over so far
        long start = System.nanoTime();
        Pass pass = new Pass(trigger, fetch, parts.clock().instant());
        try {
            for (Step step : steps) {
                StepResult result = step.run(pass);
                if (!result.proceeds()) {
                    ended(step, result, pass);
                    break;
                }
            }
        } catch (RuntimeException e) {
            failed("reconcile pass (trigger " + trigger + ")", e);
        } finally {
            try {
                publish.run(pass);
                lastFailure = null;
            } catch (RuntimeException e) {
                failed("publishing (trigger " + trigger + ")", e);
            }
            parts.metrics().reconciled(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * A pass that failed (the store is down, the disk is full) runs again after a while; the same
     * failure is logged in full once, then in one line until it changes or a pass succeeds.
     */
    private void failed(String what, RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (message.equals(lastFailure)) {
            LOG.warnf("%s failed again: %s; next pass in %ds", what, message, AFTER_FAILED_PASS.toSeconds());
        } else {
            LOG.errorf(e, "%s failed; next pass in %ds", what, AFTER_FAILED_PASS.toSeconds());
        }
        lastFailure = message;
        requestLater("retry after a failure", false, AFTER_FAILED_PASS);
    }

    private void ended(Step step, StepResult result, Pass pass) {
        switch (result.kind()) {
            case STOP -> LOG.debugf("pass ended at %s: %s", step.name(), result.reason());
            case RETRY_AFTER -> {
                LOG.warnf("pass ended at %s: %s; next pass in %ds", step.name(), result.reason(),
                        result.retryAfter().toSeconds());
                // A fetch this pass was asked for (start-up, a webhook) is not lost by the retry.
                requestLater("retry " + step.name(), pass.fetch, result.retryAfter());
            }
            case STALLED -> {
                if (!result.reason().equals(lastStall)) {
                    LOG.warnf("stalled at %s until the revision moves: %s", step.name(), result.reason());
                }
                lastStall = result.reason();
                return;
            }
            default -> throw new IllegalStateException("a step cannot end a pass with " + result.kind());
        }
        lastStall = null;
    }

    /** Every target with its status, sorted by id, as the last pass left them. */
    public List<TargetView> targets() {
        return snapshot.targets();
    }

    public Optional<TargetView> target(TargetId id) {
        return snapshot.target(id);
    }

    /** What the loop would start now, in order, and what waits and why, as of the last pass. */
    public PlanView plan() {
        return snapshot.plan();
    }

    /** Where the rollout of the desired revision stands, as of the last pass; empty before the first plan. */
    public Optional<RolloutStatus> rollout() {
        return Optional.ofNullable(snapshot.rollout());
    }

    public FleetControl fleetControl() {
        return snapshot.fleetControl();
    }

    /** The host of that name in the current inventory. */
    public Optional<Host> host(String name) {
        return snapshot.host(name);
    }

    /** The source as the loop sees it. */
    public SourceView sourceView(boolean demo) {
        FleetSnapshot now = snapshot;
        FleetState.FetchState fetch = now.lastFetch();
        Optional<String> revision = parts.source().revision();
        Inventory fleet = now.inventory();
        return new SourceView(parts.source().displayUrl(), parts.source().branch(), revision.orElse(null),
                revision.flatMap(parts.source()::commit).map(c -> c.subject()).orElse(null), fetch.at(),
                fetch.result(), fetch.error(), fleet == null ? null : fleet.revision(), now.inventoryError(),
                fleet == null ? List.of() : fleet.problems(), demo,
                now.stall() == null ? null : new SourceView.Stalled(now.stall().revision(), now.stall().reason()),
                now.verification(), now.deployedFrom());
    }

    /** Ready once a first fetch succeeded. */
    public boolean ready() {
        return parts.source().revision().isPresent();
    }

    /**
     * Shutdown: no new pass or deployment starts; running deployments get the grace period, then
     * are interrupted (their commands killed) and recorded as INTERRUPTED. Once the pass thread has
     * ended, this thread applies what was handed over meanwhile and saves the statuses once more.
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        probeRounds.stop();
        boolean passThreadEnded = false;
        try {
            passThreadEnded = threads.passes().shutdown(Duration.ofSeconds(30));
            threads.probes().shutdownNow();
            threads.reprobes().shutdownNow();
            threads.evaluations().shutdownNow();
            threads.deploys().shutdown();
            if (!threads.deploys().awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("shutdown: grace period of %ds over; stopping the running deployment(s)",
                        settings.shutdownGrace().toSeconds());
                threads.deploys().shutdownNow();
                threads.deploys().awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            threads.deploys().shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (!passThreadEnded) {
            LOG.warn("shutdown: the last pass did not end; statuses are not saved again");
            return;
        }
        Set<TargetId> cut = new HashSet<>(state.running.keySet());
        for (EventQueue.Entry entry : events.drain()) {
            try {
                applyEvents.apply(entry.event());
            } catch (RuntimeException e) {
                LOG.debugf("shutdown: %s not applied: %s", entry.event(), e.getMessage());
            }
            if (entry.answer() != null) {
                entry.answer().completeExceptionally(new IllegalStateException("fleetward is shutting down"));
            }
        }
        try {
            publish.publishFinal(cut);
        } catch (RuntimeException e) {
            LOG.warnf("shutdown: could not save the statuses: %s", e.getMessage());
        }
    }

    private static Set<String> drain(Set<String> set) {
        Set<String> copy = new HashSet<>();
        for (String s : set) {
            if (set.remove(s)) {
                copy.add(s);
            }
        }
        return copy;
    }
}
