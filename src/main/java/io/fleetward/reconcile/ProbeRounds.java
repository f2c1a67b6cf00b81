package io.fleetward.reconcile;

import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.observe.Observation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Observation on its own schedule: every host is probed once per {@code fleetward.probe.interval},
 * the hosts spread evenly over it ({@link ProbeSchedule}), independently of passes. A tick runs on
 * the pass thread (a timer of the {@link PassScheduler}), so it reads the fleet state directly: it
 * sends the probes of the hosts due (their targets that are not deploying or being probed), each
 * with a ticket, to the probe pool. Results come back as {@link LoopEvent.ProbeFinished}: one that
 * differs from what the target last showed (another path, booted path, revision or reachability:
 * an out-of-band switch, a machine gone or back) asks for a pass at once, so such a change is
 * acted on within one interval; results that change nothing are applied by the next pass that
 * runs anyway, or by a pass asked for at most every {@link #QUIET_APPLY} (so that a fleet that
 * does not change costs no pass per probe).
 */
final class ProbeRounds {
    private static final Logger LOG = Logger.getLogger(ProbeRounds.class);
    /** Unchanged probe results wait at most this long for a pass to apply them. */
    static final Duration QUIET_APPLY = Duration.ofSeconds(30);

    private final FleetState state;
    private final MachineProbe prober;
    private final EventQueue events;
    private final Executor probes;
    private final PassScheduler passes;
    private final java.util.function.Consumer<String> requestPass;
    private final Clock clock;
    private final ProbeSchedule schedule;
    private final AtomicInteger unapplied = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Pass thread only: the inventory the schedule and the index below are about. */
    private Inventory scheduled;
    private Map<String, List<Target>> targetsByHost = Map.of();
    private Instant lastQuietPass;

    ProbeRounds(FleetState state, MachineProbe prober, EventQueue events, Executor probes, PassScheduler passes,
                java.util.function.Consumer<String> requestPass, Duration interval, Clock clock) {
        this.state = state;
        this.prober = prober;
        this.events = events;
        this.probes = probes;
        this.passes = passes;
        this.requestPass = requestPass;
        this.clock = clock;
        this.schedule = new ProbeSchedule(interval);
    }

    /** Schedules the first tick. */
    void start() {
        passes.schedule(this::tick, ProbeSchedule.MIN_TICK);
    }

    void stop() {
        stopped.set(true);
    }

    /** On the pass thread: probes the hosts due now, then schedules the next tick. */
    void tick() {
        if (stopped.get()) {
            return;
        }
        Instant now = clock.instant();
        try {
            if (state.inventory != scheduled) {
                scheduled = state.inventory;
                targetsByHost = byHost(scheduled);
                schedule.hosts(targetsByHost.keySet(), now);
            }
            for (String host : schedule.due(now)) {
                probe(host);
            }
            if (unapplied.get() > 0 && (lastQuietPass == null || !now.isBefore(lastQuietPass.plus(QUIET_APPLY)))) {
                lastQuietPass = now;
                requestPass.accept("probes");
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "probe round failed unexpectedly");
        } finally {
            passes.schedule(this::tick, schedule.untilNext(clock.instant()));
        }
    }

    /** Unchanged probe results were applied (by any pass). */
    void applied() {
        unapplied.set(0);
    }

    private void probe(String host) {
        List<Target> targets = new ArrayList<>();
        List<Long> tickets = new ArrayList<>();
        List<Observation> last = new ArrayList<>();
        for (Target target : targetsByHost.getOrDefault(host, List.of())) {
            if (state.running.containsKey(target.id()) || !state.probing.add(target.id())) {
                continue;
            }
            targets.add(target);
            tickets.add(state.probeTicket());
            last.add(state.observations.get(target.id()));
        }
        if (targets.isEmpty()) {
            return;
        }
        try {
            probes.execute(() -> {
                List<String> changes = new ArrayList<>();
                for (int i = 0; i < targets.size(); i++) {
                    Target target = targets.get(i);
                    Observation observation = observe(target);
                    events.add(new LoopEvent.ProbeFinished(observation, tickets.get(i)));
                    String change = change(last.get(i), observation);
                    if (change != null) {
                        changes.add(target.id() + ": " + change);
                    }
                }
                if (changes.isEmpty()) {
                    unapplied.addAndGet(targets.size());
                } else {
                    LOG.infof("probe of %s: %s; reconciling", host, String.join("; ", changes));
                    requestPass.accept("probe " + host);
                }
            });
        } catch (RejectedExecutionException e) {
            targets.forEach(t -> state.probing.remove(t.id())); // shutting down
        }
    }

    private Observation observe(Target target) {
        try {
            return prober.probe(target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Observation.unreachable(target.id(), clock.instant(), "probe interrupted (shutting down)");
        } catch (RuntimeException e) {
            LOG.errorf(e, "probe of %s failed unexpectedly", target.id());
            return Observation.unreachable(target.id(), clock.instant(), "probe failed");
        }
    }

    /** What changed between two observations of a target, or null when nothing a drift depends on did. */
    static String change(Observation before, Observation now) {
        if (before == null) {
            return "first observation";
        }
        if (before.reachable() != now.reachable()) {
            return now.reachable() ? "reachable again" : "unreachable: " + now.unreachable();
        }
        if (!Objects.equals(before.currentPath(), now.currentPath())) {
            return "now runs " + now.currentPath();
        }
        if (!Objects.equals(before.bootedPath(), now.bootedPath())) {
            return "booted " + now.bootedPath();
        }
        if (!Objects.equals(before.configurationRevision(), now.configurationRevision())) {
            return "reports revision " + now.configurationRevision();
        }
        return null;
    }

    private static Map<String, List<Target>> byHost(Inventory inventory) {
        Map<String, List<Target>> byHost = new HashMap<>();
        if (inventory != null) {
            for (Target target : inventory.targets()) {
                byHost.computeIfAbsent(target.host().name(), h -> new ArrayList<>()).add(target);
            }
        }
        return byHost;
    }
}
