package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.TargetStatus;
import io.fleetward.execute.DeploymentRequest;
import io.fleetward.execute.DeploymentResult;
import io.fleetward.execute.Deployer;
import io.fleetward.fleet.Host;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.metrics.FleetMetrics;
import io.fleetward.observe.HostReport;
import io.fleetward.observe.Observation;
import io.fleetward.observe.Prober;
import io.fleetward.source.FetchResult;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceException;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.fleetward.store.FleetControlStore;
import io.fleetward.store.LedgerStore;
import io.fleetward.store.StatusStore;
import io.fleetward.store.TargetState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The reconcile loop. Triggers only nudge it: every pass reads the desired state from the source.
 * Passes run one at a time on one thread; triggers that arrive during a pass coalesce into one
 * more pass. Deployments run on their own bounded pool, never two on one host, and each finished
 * deployment nudges the loop again.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

    private final GitSource source;
    private final InventoryReader inventoryReader;
    private final Prober prober;
    private final DriftResolver resolver;
    private final DesiredPaths desiredPaths;
    private final Planner planner;
    private final Backoff backoff;
    private final Deployer deployer;
    private final DeploymentStore deployments;
    private final LedgerStore ledger;
    private final StatusStore statuses;
    private final FleetControlStore controls;
    private final FleetMetrics metrics;
    private final Clock clock;
    private final int parallelism;
    private final boolean dryRun;
    private final Duration shutdownGrace;
    private final Duration reportFreshFor;

    private final ExecutorService passes = Executors.newSingleThreadExecutor(named("fleetward-reconcile"));
    private final ExecutorService probes;
    /** Re-probes of machines last seen unreachable: their own threads, so awaited probes never queue behind them. */
    private final ExecutorService reprobes;
    private final ExecutorService deploys;
    private final ScheduledExecutorService wakeups = Executors.newSingleThreadScheduledExecutor(named("fleetward-wakeup"));

    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicBoolean fetchQueued = new AtomicBoolean();
    private final Set<String> queuedTriggers = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();

    private volatile Inventory inventory;
    private volatile String inventoryError;
    /** When the pending retry wake-up fires (guarded by {@code wakeups}). */
    private Instant nextWakeupAt;
    /** The revision whose inventory was refused: read once, not on every pass. */
    private volatile String refusedRevision;
    private volatile FetchState fetchState = new FetchState(null, null, null);
    private final Map<TargetId, TargetView> views = new ConcurrentHashMap<>();
    private final Map<TargetId, Observation> observations = new ConcurrentHashMap<>();
    private final Map<TargetId, RetryState> retries = new ConcurrentHashMap<>();
    private final Map<TargetId, Running> running = new ConcurrentHashMap<>();
    /** Targets with a probe in flight. */
    private final Set<TargetId> probing = ConcurrentHashMap.newKeySet();
    private final Set<TargetId> suspended = ConcurrentHashMap.newKeySet();
    /** Targets an operator asked to deploy now, even in sync; dropped once their deployment starts. */
    private final Set<TargetId> forced = ConcurrentHashMap.newKeySet();
    /** The latest check-in of each target (push mode); stands in for a failed probe while fresh. */
    private final Map<TargetId, Observation> reports = new ConcurrentHashMap<>();
    private volatile FleetControl fleetControl = new FleetControl(false, null, null);
    /** The drift of every target as the last pass computed it, for {@link #plan()}. */
    private volatile List<Drift> lastDrifts = List.of();
    private final Map<TargetId, String> dryRunDone = new ConcurrentHashMap<>();
    private final Map<TargetId, String> lastDeferral = new ConcurrentHashMap<>();

    /** The last fetch, for the API and readiness. */
    private record FetchState(Instant at, String result, String error) {
    }

    private record Running(DeploymentRequest request) {
    }

    public ReconcileLoop(GitSource source, InventoryReader inventoryReader, Prober prober, DriftResolver resolver,
                         DesiredPaths desiredPaths, Planner planner, Backoff backoff, Deployer deployer,
                         DeploymentStore deployments, LedgerStore ledger, StatusStore statuses,
                         FleetControlStore controls, FleetMetrics metrics, Clock clock, int parallelism,
                         int probeParallelism, boolean dryRun, Duration shutdownGrace, Duration reportFreshFor) {
        this.source = source;
        this.inventoryReader = inventoryReader;
        this.prober = prober;
        this.resolver = resolver;
        this.desiredPaths = desiredPaths;
        this.planner = planner;
        this.backoff = backoff;
        this.deployer = deployer;
        this.deployments = deployments;
        this.ledger = ledger;
        this.statuses = statuses;
        this.controls = controls;
        this.metrics = metrics;
        this.clock = clock;
        this.parallelism = parallelism;
        this.dryRun = dryRun;
        this.shutdownGrace = shutdownGrace;
        this.reportFreshFor = reportFreshFor;
        this.probes = Executors.newFixedThreadPool(probeParallelism, named("fleetward-probe"));
        this.reprobes = Executors.newFixedThreadPool(Math.max(1, probeParallelism / 4), named("fleetward-reprobe"));
        this.deploys = Executors.newFixedThreadPool(parallelism, named("fleetward-deploy"));
    }

    /**
     * Start-up: deployments that were running when the process died are marked INTERRUPTED (their
     * targets are re-probed by the first pass), and the last known statuses are restored.
     */
    public void start() {
        for (DeploymentRecord interrupted : deployments.interruptRunning(
                "fleetward stopped while the deployment ran", clock.instant())) {
            LOG.warnf("deployment %d of %s was running when fleetward stopped: marked INTERRUPTED; re-probing",
                    interrupted.id(), interrupted.target());
        }
        for (TargetState state : statuses.loadAll()) {
            if (state.suspended()) {
                suspended.add(state.target());
            }
            persistedStates.put(state.target(), state);
        }
        controls.find(FleetControlStore.PAUSED).ifPresent(c -> {
            fleetControl = new FleetControl(c.enabled(), c.reason(), c.updatedAt());
            if (c.enabled()) {
                LOG.warnf("fleet is paused since %s (%s): automatic deployments stay off until resumed", c.updatedAt(),
                        c.reason() == null ? "no reason given" : c.reason());
            }
        });
        request("startup", true);
    }

    /** Statuses from the previous run, shown until the first pass has observed the fleet. */
    private final Map<TargetId, TargetState> persistedStates = new ConcurrentHashMap<>();

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
            passes.execute(this::pass);
        }
    }

    /** Like {@link #request}, after {@code delay}. */
    public void requestLater(String trigger, boolean fetch, Duration delay) {
        if (!stopping.get()) {
            wakeups.schedule(() -> request(trigger, fetch), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One reconcile: each step says what it reads, what it sets, and when it stops early. */
    private void pass() {
        passQueued.set(false);
        boolean fetch = fetchQueued.getAndSet(false);
        String trigger = String.join(",", new TreeSet<>(drain(queuedTriggers)));
        if (stopping.get()) {
            return;
        }
        long start = System.nanoTime();
        try {
            // 1. Source: fetch the tracked branch. Stops when no revision was ever fetched.
            if (fetch) {
                fetchSource();
            }
            Optional<String> desired = source.revision();
            if (desired.isEmpty()) {
                return;
            }
            // 2. Inventory: read it at the fetched revision. A refused one keeps the last good inventory,
            //    and its revision stays the desired one: nothing is deployed from a revision whose fleet
            //    could not be read (stalled until a new revision fixes it).
            loadInventory(desired.get());
            Inventory fleet = inventory;
            if (fleet == null) {
                return;
            }
            desired = Optional.of(fleet.revision());
            // 3. Observe: probe targets that are not deploying (all on fetch passes, else the unobserved).
            //    Machines last seen unreachable are probed without holding up this pass (nothing is
            //    deployed to them anyway); their results nudge one more pass.
            probe(fleet, fetch);
            // 4. Drift and status: pure; sets each target's status and reason.
            List<Drift> drifts = computeDrift(fleet, desired.get());
            // 5. Plan and execute: start what the plan allows now; deferrals are logged when they change.
            execute(fleet, drifts, trigger);
            persistAndPublish();
        } catch (RuntimeException e) {
            LOG.errorf(e, "reconcile pass (trigger %s) failed", trigger);
        } finally {
            metrics.reconciled(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void fetchSource() {
        Instant at = clock.instant();
        try {
            FetchResult result = source.fetch();
            String outcome = result.changed() ? "changed" : "unchanged";
            fetchState = new FetchState(at, outcome, null);
            metrics.sourceFetched(outcome, result.took(), at);
            if (result.forced()) {
                LOG.warnf("source: branch was force-pushed; following it to %s", shortRev(result.revision()));
            }
        } catch (SourceException e) {
            fetchState = new FetchState(at, "error", e.getMessage());
            metrics.sourceFetched("error", Duration.between(at, clock.instant()), at);
            LOG.warnf("source: fetch failed, keeping revision %s: %s",
                    source.revision().map(ReconcileLoop::shortRev).orElse("(none)"), e.getMessage());
        }
    }

    private void loadInventory(String revision) {
        Inventory current = inventory;
        if (current != null && current.revision().equals(revision) || revision.equals(refusedRevision)) {
            return;
        }
        InventoryReader.Outcome outcome = inventoryReader.read(revision);
        if (outcome.inventory() == null) {
            inventoryError = outcome.error();
            refusedRevision = revision;
            LOG.errorf("inventory at %s refused, keeping %s: %s", shortRev(revision),
                    current == null ? "no inventory" : "the one from " + shortRev(current.revision()), outcome.error());
            return;
        }
        Inventory next = outcome.inventory();
        inventoryError = null;
        next.problems().forEach(p -> LOG.warnf("inventory at %s: %s", shortRev(revision), p));
        Set<TargetId> ids = new HashSet<>();
        next.targets().forEach(t -> ids.add(t.id()));
        for (TargetId gone : new ArrayList<>(views.keySet())) {
            if (!ids.contains(gone)) {
                LOG.infof("%s left the inventory at %s", gone, shortRev(revision));
                views.remove(gone);
                observations.remove(gone);
                reports.remove(gone);
                forced.remove(gone);
                retries.remove(gone);
                statuses.delete(gone);
            }
        }
        persistedStates.keySet().retainAll(ids);
        inventory = next;
        LOG.infof("inventory at %s: %d hosts, %d targets", shortRev(revision), next.hosts().size(),
                next.targets().size());
    }

    private void probe(Inventory fleet, boolean all) {
        List<Target> due = fleet.targets().stream()
                .filter(t -> !running.containsKey(t.id()) && !probing.contains(t.id()))
                .filter(t -> all || !observations.containsKey(t.id()))
                .toList();
        List<Future<?>> awaited = new ArrayList<>();
        List<Target> background = new ArrayList<>();
        for (Target target : due) {
            Observation last = observations.get(target.id());
            // A machine last seen unreachable, or known only through its check-in (behind NAT), may
            // take the whole connect timeout: probe it without waiting.
            if (last != null && (!last.reachable() || last == reports.get(target.id()))) {
                background.add(target);
            } else {
                awaited.add(probes.submit(() -> observe(target)));
            }
        }
        probeInBackground(background);
        for (Future<?> future : awaited) {
            try {
                future.get();
            } catch (ExecutionException e) {
                LOG.errorf(e.getCause(), "probe failed unexpectedly");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Re-probes machines last seen unreachable without holding up this pass: a machine that is
     * down must not delay every other deployment by its connect timeout. When the last of them
     * is done, one more pass reads the results.
     */
    private void probeInBackground(List<Target> targets) {
        if (targets.isEmpty()) {
            return;
        }
        AtomicInteger left = new AtomicInteger(targets.size());
        for (Target target : targets) {
            probing.add(target.id());
            try {
                reprobes.execute(() -> {
                    try {
                        observe(target);
                    } finally {
                        probing.remove(target.id());
                        if (left.decrementAndGet() == 0) {
                            request("probes done", false);
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                probing.remove(target.id()); // shutting down
            }
        }
    }

    private void observe(Target target) {
        Instant started = clock.instant();
        try {
            Observation probed = freshReportOr(prober.probe(target));
            if (!running.containsKey(target.id())) {
                // A deployment's own re-probe (or a check-in) that came in meanwhile is newer than this one.
                observations.merge(probed.target(), probed,
                        (current, fresh) -> current.at().isAfter(started) ? current : fresh);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "probe of %s failed unexpectedly", target.id());
        }
    }

    /**
     * A probe that could not reach the machine yields to a fresh check-in: a laptop behind NAT is
     * observed through its reports (push mode), and a report newer than a failed probe is the truth.
     */
    private Observation freshReportOr(Observation probed) {
        if (probed.reachable()) {
            return probed;
        }
        Observation report = reports.get(probed.target());
        if (report != null && report.at().plus(reportFreshFor).isAfter(clock.instant())) {
            LOG.debugf("%s: probe failed (%s); using its check-in from %s", probed.target(), probed.unreachable(),
                    report.at());
            return report;
        }
        return probed;
    }

    private List<Drift> computeDrift(Inventory fleet, String desired) {
        List<Drift> drifts = new ArrayList<>(fleet.targets().size());
        for (Target target : fleet.targets()) {
            Observation observation = observations.get(target.id());
            Drift drift = resolver.resolve(target, desired, observation, ledger, source, fleet.allUsers(),
                    desiredPaths.desiredPath(target, desired));
            drifts.add(drift);
            setView(target, describe(drift), observation);
        }
        lastDrifts = List.copyOf(drifts);
        return drifts;
    }

    /** The status shown for a drift, given what the loop knows beyond it (running, retries, suspension). */
    private Drift describe(Drift drift) {
        TargetId id = drift.target();
        Running run = running.get(id);
        if (run != null) {
            return new Drift(id, TargetStatus.DEPLOYING, "deploying " + shortRev(run.request().revision())
                    + " (attempt " + run.request().attempt() + ")", drift.desiredRevision(), drift.deployedRevision());
        }
        if (suspended.contains(id)) {
            return new Drift(id, TargetStatus.SUSPENDED, "suspended; " + drift.reason(), drift.desiredRevision(),
                    drift.deployedRevision());
        }
        if (drift.drifted() && fleetControl.paused() && !forced.contains(id)) {
            return new Drift(id, drift.status(), "fleet paused; " + drift.reason(), drift.desiredRevision(),
                    drift.deployedRevision());
        }
        RetryState retry = retries.get(id);
        if (drift.drifted() && retry != null && retry.revision().equals(drift.desiredRevision())) {
            Optional<Duration> delay = backoff.delayAfterFailures(retry.failures());
            String next = delay.isEmpty()
                    ? "gave up after " + retry.failures() + " attempts; waiting for a new revision"
                    : "retry " + (retry.failures() + 1) + " at " + retry.notBefore();
            return new Drift(id, TargetStatus.FAILED, retry.lastError() + "; " + next, drift.desiredRevision(),
                    drift.deployedRevision());
        }
        return drift;
    }

    private void execute(Inventory fleet, List<Drift> drifts, String trigger) {
        Set<String> busy = new HashSet<>();
        running.values().forEach(r -> busy.add(r.request().target().host().name()));
        Instant now = clock.instant();
        // In dry run a deployment is reported once per target and revision, then left out of planning.
        List<Drift> candidates = dryRun ? drifts.stream()
                .filter(d -> !d.desiredRevision().equals(dryRunDone.get(d.target()))).toList() : drifts;
        Plan plan = planner.plan(planInput(candidates, busy, now));
        Map<TargetId, Target> targets = new HashMap<>();
        fleet.targets().forEach(t -> targets.put(t.id(), t));
        for (Deferral deferral : plan.deferred()) {
            if (!deferral.reason().equals(lastDeferral.put(deferral.target(), deferral.reason()))) {
                LOG.infof("plan: %s deferred: %s", deferral.target(), deferral.reason());
            }
        }
        for (PlannedDeployment planned : plan.deployments()) {
            lastDeferral.remove(planned.target());
            Target target = targets.get(planned.target());
            LOG.infof("plan: deploy %s at %s (attempt %d, trigger %s): %s", planned.target(),
                    shortRev(planned.revision()), planned.attempt(), trigger, planned.reason());
            boolean requested = forced.remove(planned.target());
            start(new DeploymentRequest(target, planned.revision(), planned.reason(), trigger, planned.attempt(),
                    requested, observations.get(planned.target())));
        }
        scheduleRetryWakeup(now);
    }

    private PlanInput planInput(List<Drift> drifts, Set<String> busyHosts, Instant now) {
        return new PlanInput(drifts, Map.copyOf(retries), Set.copyOf(suspended), busyHosts, Set.copyOf(forced),
                parallelism - running.size(), backoff.maxAttempts(), fleetControl.paused(), now);
    }

    private void start(DeploymentRequest request) {
        TargetId id = request.target().id();
        synchronized (running) {
            if (stopping.get()) {
                return;
            }
            // An operator may have suspended the target or paused the fleet since the plan was made.
            if (suspended.contains(id) || fleetControl.paused() && !request.forced()) {
                LOG.infof("%s: not starting the planned deployment: %s", id,
                        suspended.contains(id) ? "suspended meanwhile" : "fleet paused meanwhile");
                return;
            }
            // Registered before it can run: a fast deployment must not finish before it is known as running.
            running.put(id, new Running(request));
            try {
                deploys.execute(() -> finish(request, deployer.deploy(request)));
            } catch (RejectedExecutionException e) {
                running.remove(id); // shutting down
                return;
            }
        }
        TargetView view = views.get(id);
        setView(request.target(), new Drift(id, TargetStatus.DEPLOYING, "deploying " + shortRev(request.revision())
                + " (attempt " + request.attempt() + ")", request.revision(),
                view == null ? null : view.deployedRevision()), request.before());
    }

    private void finish(DeploymentRequest request, DeploymentResult result) {
        TargetId id = request.target().id();
        if (result.after() != null) {
            observations.put(id, result.after());
        }
        switch (result.outcome()) {
            case SUCCEEDED -> retries.remove(id);
            case DRY_RUN -> dryRunDone.put(id, request.revision());
            case INTERRUPTED -> observations.remove(id);
            default -> {
                RetryState retry = RetryState.afterFailure(retries.get(id), id, request.revision(), result.reason(),
                        clock.instant(), backoff);
                retries.put(id, retry);
                LOG.infof("%s failed %d time(s) at %s: %s; %s", id, retry.failures(), shortRev(request.revision()),
                        result.reason(), retry.gaveUp(backoff.maxAttempts()) ? "giving up until the revision moves"
                                : "next attempt at " + retry.notBefore());
            }
        }
        running.remove(id);
        request("deployment finished", false);
    }

    /** Wakes the loop when the earliest pending retry is due (the loop alone schedules). */
    private void scheduleRetryWakeup(Instant now) {
        retries.values().stream()
                .filter(r -> r.notBefore().isAfter(now) && backoff.delayAfterFailures(r.failures()).isPresent())
                .map(RetryState::notBefore)
                .min(Comparator.naturalOrder())
                .ifPresent(at -> {
                    synchronized (wakeups) {
                        // One pending wake-up, for the earliest retry; a later one is planned when it fires.
                        if (nextWakeupAt == null || at.isBefore(nextWakeupAt) || !nextWakeupAt.isAfter(now)) {
                            nextWakeupAt = at;
                            wakeups.schedule(() -> request("retry", false),
                                    Duration.between(now, at).toMillis() + 1, TimeUnit.MILLISECONDS);
                        }
                    }
                });
    }

    private void setView(Target target, Drift drift, Observation observation) {
        views.put(target.id(), new TargetView(target, drift.status(), drift.reason(), drift.desiredRevision(),
                drift.deployedRevision(), observation, suspended.contains(target.id()), clock.instant()));
    }

    private void persistAndPublish() {
        List<TargetState> states = new ArrayList<>(views.size());
        Map<TargetId, TargetStatus> statusById = new HashMap<>();
        for (TargetView view : views.values()) {
            states.add(state(view));
            statusById.put(view.target().id(), view.status());
        }
        statuses.saveAll(states);
        metrics.targetStatuses(statusById);
    }

    private static TargetState state(TargetView view) {
        Observation o = view.observation();
        return new TargetState(view.target().id(), view.status(), view.reason(), view.desiredRevision(),
                view.deployedRevision(), o == null ? null : o.currentPath(), o == null ? null : o.bootedPath(),
                o == null ? null : o.at(), view.suspended(), view.updatedAt());
    }

    /**
     * Deploys {@code id} at the desired revision on the next pass, even when it is in sync and while
     * the fleet is paused.
     *
     * @throws ControlException NOT_FOUND for an unknown target, CONFLICT when it is suspended or deploying
     */
    public void sync(TargetId id) {
        requireTarget(id);
        if (suspended.contains(id)) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " is suspended; resume it first");
        }
        if (running.containsKey(id)) {
            throw new ControlException(ControlException.Kind.CONFLICT, id + " is deploying now");
        }
        forced.add(id);
        LOG.infof("%s: sync requested: deploying it even if in sync", id);
        request("sync " + id, false);
    }

    /**
     * Stops automatic and requested deployments of {@code id} until {@link #resume}; it is still
     * probed. A running deployment is not stopped. Kept across restarts.
     *
     * @throws ControlException NOT_FOUND for an unknown target
     */
    public void suspend(TargetId id, String reason) {
        requireTarget(id);
        if (suspended.add(id)) {
            forced.remove(id);
            LOG.infof("%s suspended: %s", id, reason == null ? "no reason given" : reason);
        }
        refreshView(id);
    }

    /** @throws ControlException NOT_FOUND for an unknown target */
    public void resume(TargetId id) {
        requireTarget(id);
        if (suspended.remove(id)) {
            LOG.infof("%s resumed", id);
            refreshView(id);
            request("resume " + id, false);
        }
    }

    /** Stops automatic deployments fleet-wide (probing and requested syncs go on). Kept across restarts. */
    public void pauseFleet(String reason) {
        setPaused(true, reason);
    }

    /** Restarts automatic deployments. */
    public void resumeFleet() {
        setPaused(false, null);
        request("fleet resumed", false);
    }

    public FleetControl fleetControl() {
        return fleetControl;
    }

    private synchronized void setPaused(boolean paused, String reason) {
        if (fleetControl.paused() == paused && (!paused || Objects.equals(reason, fleetControl.reason()))) {
            return;
        }
        FleetControl next = new FleetControl(paused, reason, clock.instant());
        controls.save(new FleetControlStore.Control(FleetControlStore.PAUSED, paused, reason, next.since()));
        fleetControl = next;
        LOG.infof(paused ? "fleet paused: %s; automatic deployments are off, probing goes on" : "fleet resumed%s",
                paused ? (reason == null ? "no reason given" : reason) : "");
    }

    /** What the loop would start now, in order, and what waits and why; computed from the last pass. */
    public PlanView plan() {
        Inventory fleet = inventory;
        Set<String> busy = new HashSet<>();
        running.values().forEach(r -> busy.add(r.request().target().host().name()));
        List<Drift> drifts = lastDrifts.stream().filter(d -> !running.containsKey(d.target())).toList();
        Plan plan = planner.plan(planInput(drifts, busy, clock.instant()));
        List<PlanView.Step> steps = new ArrayList<>();
        for (PlannedDeployment planned : plan.deployments()) {
            steps.add(new PlanView.Step(steps.size() + 1, planned.target(), planned.revision(), planned.attempt(),
                    planned.reason()));
        }
        List<Deferral> deferred = new ArrayList<>(plan.deferred());
        running.values().forEach(r -> deferred.add(new Deferral(r.request().target().id(), "deploying "
                + shortRev(r.request().revision()) + " now")));
        deferred.sort(Comparator.comparing(Deferral::target));
        return new PlanView(fleet == null ? null : fleet.revision(), fleetControl.paused(), steps, deferred);
    }

    /** The host of that name in the current inventory. */
    public Optional<Host> host(String name) {
        Inventory fleet = inventory;
        return fleet == null ? Optional.empty() : Optional.ofNullable(fleet.hosts().get(name));
    }

    /**
     * Takes a host's check-in as the observation of its targets (its system target, and the home
     * targets of the standalone users it reports), and starts a pass at once when one of them
     * needs a deployment: a machine that was away converges as soon as it is back.
     *
     * @throws ControlException NOT_FOUND when the host is not in the inventory
     */
    public ReportOutcome report(HostReport report) {
        Inventory fleet = inventory;
        Host host = fleet == null ? null : fleet.hosts().get(report.host());
        if (host == null) {
            throw new ControlException(ControlException.Kind.NOT_FOUND, "no host " + report.host() + " in the inventory");
        }
        List<TargetId> observed = new ArrayList<>();
        List<TargetId> drifted = new ArrayList<>();
        for (Target target : fleet.targets()) {
            if (!target.host().name().equals(host.name())
                    || target.user() != null && !report.homes().containsKey(target.user())) {
                continue;
            }
            TargetId id = target.id();
            Observation observation = target.user() == null
                    ? new Observation(id, report.at(), report.system(), report.booted(), report.configurationRevision(),
                    null)
                    : new Observation(id, report.at(), report.homes().get(target.user()), null, null, null);
            observed.add(id);
            reports.put(id, observation);
            if (!running.containsKey(id)) {
                observations.put(id, observation);
            }
            Drift drift = resolver.resolve(target, fleet.revision(), observation, ledger, source, fleet.allUsers(),
                    desiredPaths.desiredPath(target, fleet.revision()));
            if (drift.drifted()) {
                drifted.add(id);
            }
        }
        ReportOutcome outcome = new ReportOutcome(observed, drifted);
        // The machine is back: attempts used up while it was away start over.
        boolean retried = retries.keySet().removeIf(id -> id.host().equals(host.name()));
        LOG.infof("check-in from %s: %d target(s) observed, %s%s", host.name(), observed.size(),
                outcome.reconcileTriggered() ? "drifted: " + drifted + "; reconciling now" : "nothing to deploy",
                retried ? "; failed attempts forgotten" : "");
        // Always refresh the statuses; a pass that finds drift deploys it.
        request("check-in " + host.name(), false);
        return outcome;
    }

    private Target requireTarget(TargetId id) {
        Inventory fleet = inventory;
        return Optional.ofNullable(fleet).flatMap(f -> f.targets().stream().filter(t -> t.id().equals(id)).findFirst())
                .orElseThrow(() -> new ControlException(ControlException.Kind.NOT_FOUND, "no target " + id));
    }

    /** Re-describes one target after an operator's change, and saves the statuses at once. */
    private void refreshView(TargetId id) {
        lastDrifts.stream().filter(d -> d.target().equals(id)).findFirst().ifPresent(drift -> {
            TargetView view = views.get(id);
            if (view != null) {
                setView(view.target(), describe(drift), view.observation());
            }
        });
        TargetView view = views.get(id);
        if (view != null) {
            statuses.save(state(view));
        }
    }

    /** Every target with its status, sorted by id. Before the first pass: the statuses of the last run. */
    public List<TargetView> targets() {
        Inventory fleet = inventory;
        if (fleet == null) {
            return List.of();
        }
        List<TargetView> result = new ArrayList<>();
        for (Target target : fleet.targets()) {
            TargetView view = views.get(target.id());
            if (view == null) {
                TargetState saved = persistedStates.get(target.id());
                view = saved == null
                        ? new TargetView(target, TargetStatus.UNKNOWN, "not observed yet", fleet.revision(), null, null,
                        suspended.contains(target.id()), null)
                        : new TargetView(target, saved.status(), saved.reason(), saved.desiredRevision(),
                        saved.deployedRevision(), null, saved.suspended(), saved.updatedAt());
            }
            result.add(view);
        }
        return result;
    }

    public Optional<TargetView> target(TargetId id) {
        return targets().stream().filter(v -> v.target().id().equals(id)).findFirst();
    }

    /** The source as the loop sees it. */
    public SourceView sourceView(boolean demo) {
        FetchState fetch = fetchState;
        Optional<String> revision = source.revision();
        Inventory fleet = inventory;
        return new SourceView(source.displayUrl(), source.branch(), revision.orElse(null),
                revision.flatMap(source::commit).map(c -> c.subject()).orElse(null), fetch.at(), fetch.result(),
                fetch.error(), fleet == null ? null : fleet.revision(), inventoryError,
                fleet == null ? List.of() : fleet.problems(), demo);
    }

    /** Ready once a first fetch succeeded. */
    public boolean ready() {
        return source.revision().isPresent();
    }

    /**
     * Shutdown: no new deployment starts; running ones get the grace period, then are interrupted
     * (their commands killed) and recorded as INTERRUPTED.
     */
    @Override
    public void close() {
        stopping.set(true);
        passes.shutdownNow();
        wakeups.shutdownNow();
        probes.shutdownNow();
        reprobes.shutdownNow();
        deploys.shutdown();
        try {
            if (!running.isEmpty()) {
                LOG.infof("shutdown: waiting up to %ds for %d running deployment(s)", shutdownGrace.toSeconds(),
                        running.size());
            }
            if (!deploys.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("shutdown: grace period over; stopping %d deployment(s)", running.size());
                deploys.shutdownNow();
                deploys.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            deploys.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // Nothing deploys any more: say so in the statuses the next start shows until its first pass.
        views.replaceAll((id, view) -> view.status() != TargetStatus.DEPLOYING ? view
                : new TargetView(view.target(), TargetStatus.UNKNOWN, "fleetward stopped during the deployment",
                view.desiredRevision(), view.deployedRevision(), null, view.suspended(), clock.instant()));
        try {
            persistAndPublish();
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

    static String shortRev(String revision) {
        return revision == null ? "(none)" : DriftResolver.shortRevision(revision);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
