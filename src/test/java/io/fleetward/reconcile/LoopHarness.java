package io.fleetward.reconcile;

import io.fleetward.source.GitPathPatterns;
import io.fleetward.InMemoryMachines;
import io.fleetward.SimulatedFleet;
import io.fleetward.Wiring;
import io.fleetward.config.CommandsConfig;
import io.fleetward.config.PlainConfig;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.ImpactRules;
import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.evaluate.InventoryReader;
import io.fleetward.execute.DeployMetrics;
import io.fleetward.execute.DeploySettings;
import io.fleetward.execute.Deployer;
import io.fleetward.execute.SafetySettings;
import io.fleetward.execute.SystemRunner;
import io.fleetward.fleet.ImpactSectionHistory;
import io.fleetward.fleet.InventoryLoader;
import io.fleetward.fleet.TargetId;
import io.fleetward.observe.Prober;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceSettings;
import io.fleetward.store.Database;
import io.fleetward.store.DeploymentRecord;
import io.fleetward.store.DeploymentStore;
import io.fleetward.store.EvaluationStore;
import io.fleetward.store.FleetControlStore;
import io.fleetward.store.LedgerStore;
import io.fleetward.store.StatusStore;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.Transports;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;

/**
 * A whole loop without Quarkus, real time or machines: the reference fleet's real git repository
 * and inventory, real drift, planner, prober, deployer and stores (H2 in memory), machines in memory
 * ({@link InMemoryMachines}), passes on virtual time ({@link ManualScheduler}). Deployments and
 * background probes run inline unless a test queues them.
 */
final class LoopHarness implements AutoCloseable {
    static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(5), 2, Duration.ofMinutes(1), 3);
    /** SIGTERM's grace for a leftover command: short, so that one ignoring SIGTERM is killed soon. */
    static final Duration LEFTOVER_GRACE = Duration.ofMillis(500);

    final SimulatedFleet fleet = SimulatedFleet.create();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ManualScheduler passes = new ManualScheduler(clock);
    final InMemoryMachines machines = new InMemoryMachines();
    final ExecutorService deploys;
    final ManualExecutor reprobes;
    final ManualExecutor evaluations;
    final Database database = new Database("jdbc:h2:mem:loop-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            Optional.empty(), Optional.empty(), 2);
    final DeploymentStore deployments = new DeploymentStore(database);
    final LedgerStore ledger = new LedgerStore(database);
    final StatusStore statuses = new StatusStore(database);
    final EvaluationStore evaluated = new EvaluationStore(database);
    final RecordingLoopMetrics metrics = new RecordingLoopMetrics();
    final RecordingNotifications notifications = new RecordingNotifications();
    final RecordingDeployMetrics deployMetrics = new RecordingDeployMetrics();
    final GitSource source;
    final Prober prober;
    final Deployer deployer;
    final ReconcileLoop loop;
    private final LoopParts parts;
    private final LoopSettings settings;
    final FleetControls controls;

    /**
     * How a test wants its loop.
     *
     * @param deploys     runs deployments: inline (the default), queued, or a real pool
     * @param reprobes    runs background probes: inline (the default) or queued
     * @param wrapDeploys lets a test stand between the loop and the real deployer (a deployer that throws)
     * @param exactMode   whether system targets are evaluated ({@code nix eval}) before drift; the
     *                    machines' system paths are content-addressed then
     * @param evaluations runs evaluations: inline (the default) or queued
     * @param dryRun      plan and report, run no deploy command
     * @param leftovers   ends commands a crash left running: the daemon's own, on real process groups, by default
     */
    record Options(ExecutorService deploys, ManualExecutor reprobes, UnaryOperator<DeploymentRunner> wrapDeploys,
                   boolean exactMode, boolean dryRun, LeftoverCommands leftovers, ManualExecutor evaluations,
                   boolean guarded) {
        Options(ExecutorService deploys, ManualExecutor reprobes, UnaryOperator<DeploymentRunner> wrapDeploys,
                boolean exactMode, boolean dryRun, LeftoverCommands leftovers, ManualExecutor evaluations) {
            this(deploys, reprobes, wrapDeploys, exactMode, dryRun, leftovers, evaluations, false);
        }

        static Options standard() {
            return new Options(ManualExecutor.inline(), ManualExecutor.inline(), UnaryOperator.identity(), false,
                    false, Wiring.leftoverCommands(LEFTOVER_GRACE), ManualExecutor.inline());
        }

        /** The deployer with its guards, on the default templates: precheck, health gate, rollback. */
        Options withGuards() {
            return new Options(deploys, reprobes, wrapDeploys, exactMode, dryRun, leftovers, evaluations, true);
        }

        Options withEvaluations(ManualExecutor executor) {
            return new Options(deploys, reprobes, wrapDeploys, exactMode, dryRun, leftovers, executor);
        }

        Options withDeploys(ExecutorService executor) {
            return new Options(executor, reprobes, wrapDeploys, exactMode, dryRun, leftovers, evaluations);
        }

        Options withReprobes(ManualExecutor executor) {
            return new Options(deploys, executor, wrapDeploys, exactMode, dryRun, leftovers, evaluations);
        }

        Options withWrappedDeploys(UnaryOperator<DeploymentRunner> wrap) {
            return new Options(deploys, reprobes, wrap, exactMode, dryRun, leftovers, evaluations);
        }

        Options withExactMode() {
            return new Options(deploys, reprobes, wrapDeploys, true, dryRun, leftovers, evaluations);
        }

        Options withDryRun() {
            return new Options(deploys, reprobes, wrapDeploys, exactMode, true, leftovers, evaluations);
        }

        Options withLeftovers(LeftoverCommands commands) {
            return new Options(deploys, reprobes, wrapDeploys, exactMode, dryRun, commands, evaluations);
        }
    }

    LoopHarness() {
        this(Options.standard());
    }

    LoopHarness(Options options) {
        this(options, h -> SourceTrust.unsigned(h.source, h.clock));
    }

    /** A loop whose fetched revisions must pass {@code trust} (signatures, anti-rollback); made once the source is. */
    LoopHarness(Options options, java.util.function.Function<LoopHarness, SourceTrust> trust) {
        this.deploys = options.deploys();
        this.reprobes = options.reprobes();
        this.evaluations = options.evaluations();
        boolean exactMode = options.exactMode();
        if (exactMode) {
            machines.buildFromContent();
        }
        Path data = fleet.data();
        source = new GitSource(new SourceSettings(fleet.root().resolve("repo").toString(), "main",
                data.resolve("source.git"), Duration.ofSeconds(30), Optional.empty(), Optional.empty()));
        Transports transports = new Transports(List.of(machines));
        prober = new Prober(transports, Wiring.probeCommands(PlainConfig.defaults(CommandsConfig.class)),
                Duration.ofSeconds(5), clock);
        deployer = new Deployer(Wiring.deployCommands(PlainConfig.defaults(CommandsConfig.class)),
                transports, prober, source, deployments, ledger, deployMetrics,
                new DeploySettings(Duration.ofMinutes(5), options.dryRun(), "git+file:///fleet?ref=main&rev={rev}",
                        data.resolve("logs"), data.resolve("checkouts"), 50, SystemRunner.parse("runner", "local")),
                clock, options.guarded() ? Wiring.safetyCommands(PlainConfig.defaults(CommandsConfig.class)) : null,
                new SafetySettings(Duration.ofMinutes(1), Duration.ofMinutes(3)));
        InventoryLoader loader = new InventoryLoader("fleetward.yaml", Optional.empty(), "local");
        InventoryReader inventory = new InventoryReader(source, loader,
                Optional.of("nix eval --json .#clan.inventory.machines"), machines,
                data.resolve("checkouts/.inventory"),
                Duration.ofMinutes(1));
        DesiredPaths desiredPaths = new DesiredPaths(exactMode ? Optional.of(CommandTemplate.of("evaluate-system",
                "nix eval --raw {flake}#nixosConfigurations.{host}.config.system.build.toplevel.outPath"))
                : Optional.empty(), Optional.empty(), source, machines, data.resolve("checkouts/.evaluate"),
                Duration.ofMinutes(1));
        parts = new LoopParts(source, inventory, prober::probe,
                new DriftResolver(new ImpactRules(GitPathPatterns.INSTANCE, List.of("**/*.md", "fleetward.yaml")),
                        new ImpactSectionHistory(loader, source::files)::at), desiredPaths,
                options.wrapDeploys().apply(deployer::deploy), deployments, options.leftovers(), ledger, ledger,
                evaluated, statuses, new FleetControlStore(database), metrics, clock, trust.apply(this),
                notifications);
        settings = new LoopSettings(4, options.dryRun(), Duration.ofMillis(200), Duration.ofMinutes(15), BACKOFF);
        loop = new ReconcileLoop(parts, settings, threads());
        controls = loop.controls();
    }

    private LoopThreads threads() {
        return new LoopThreads(passes, ManualExecutor.inline(), reprobes, deploys, evaluations);
    }

    /**
     * A second loop on the same store, source and machines, as the daemon starts after a restart
     * (the first one stays as it is, with nothing left to run). Not started; the caller closes it.
     */
    ReconcileLoop restartedLoop() {
        return new ReconcileLoop(parts, settings, threads());
    }

    /** Starts the loop and runs its first pass (and the passes it asks for) to the end. */
    LoopHarness started() {
        loop.start();
        passes.runUntilIdle();
        return this;
    }

    /** Runs passes, queued deployments and queued background probes until none is left. */
    void settle() {
        do {
            passes.runUntilIdle();
            if (deploys instanceof ManualExecutor queued) {
                queued.runAll();
            }
            reprobes.runAll();
            evaluations.runAll();
        } while (passes.hasWork());
    }

    /** A fetch pass, as the timer or a webhook asks for one, run to the end with what it starts. */
    /**
     * One round of the probe schedule (every host once, as {@code fleetward.probe.interval} spreads
     * them), applied: how the loop learns of what it did not do itself (a machine gone, a switch by hand).
     */
    void observeAndSettle() {
        passes.advance(LoopSettings.DEFAULT_PROBE_INTERVAL);
        settle();
    }

    void fetchAndSettle() {
        loop.request("test", true);
        passes.runUntilIdle();
    }

    TargetView view(String id) {
        return loop.target(TargetId.parse(id)).orElseThrow();
    }

    /** Deployments of one target, newest first. */
    List<DeploymentRecord> deploymentsOf(String id) {
        return deployments.list(Optional.of(TargetId.parse(id)), 100);
    }

    int deploymentCount() {
        return deployments.list(Optional.empty(), 1000).size();
    }

    @Override
    public void close() {
        loop.close();
        source.close();
        database.close();
    }
}
