package io.fleetward;

import io.fleetward.config.CheckinConfig;
import io.fleetward.config.CommandsConfig;
import io.fleetward.config.EvaluateConfig;
import io.fleetward.config.DataDirConfig;
import io.fleetward.config.DeployConfig;
import io.fleetward.config.FleetConfig;
import io.fleetward.config.ImpactConfig;
import io.fleetward.config.InstanceConfig;
import io.fleetward.config.ProbeConfig;
import io.fleetward.config.SourceConfig;
import io.fleetward.config.SshConfig;
import io.fleetward.config.StoreConfig;
import io.fleetward.config.TransportConfig;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.ImpactRules;
import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.evaluate.InventoryReader;
import io.fleetward.execute.DeployCommands;
import io.fleetward.execute.DeployMetrics;
import io.fleetward.execute.DeploySettings;
import io.fleetward.execute.Deployer;
import io.fleetward.execute.SafetyCommands;
import io.fleetward.execute.SafetySettings;
import io.fleetward.execute.SystemRunner;
import io.fleetward.fleet.ImpactSectionHistory;
import io.fleetward.fleet.InventoryLoader;
import io.fleetward.fleet.KeyDirectory;
import io.fleetward.fleet.TargetHost;
import io.fleetward.observe.ProbeCommands;
import io.fleetward.observe.Prober;
import io.fleetward.reconcile.Backoff;
import io.fleetward.reconcile.FleetControls;
import io.fleetward.reconcile.LeftoverCommands;
import io.fleetward.reconcile.LoopMetrics;
import io.fleetward.reconcile.LoopParts;
import io.fleetward.reconcile.LoopSettings;
import io.fleetward.reconcile.LoopThreads;
import io.fleetward.reconcile.Notifications;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.source.GitPathPatterns;
import io.fleetward.source.GitSource;
import io.fleetward.reconcile.SourceTrust;
import io.fleetward.source.SourceSettings;
import io.fleetward.store.DataDirSpace;
import io.fleetward.store.Database;
import io.fleetward.store.DeploymentStore;
import io.fleetward.store.FleetControlStore;
import io.fleetward.store.InstanceId;
import io.fleetward.store.LedgerStore;
import io.fleetward.store.EvaluationStore;
import io.fleetward.store.StatusStore;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.LocalTransport;
import io.fleetward.transport.ProcessGroup;
import io.fleetward.transport.Transports;
import io.fleetward.transport.ssh.SshAddress;
import io.fleetward.transport.ssh.SshMetrics;
import io.fleetward.transport.ssh.SshSettings;
import io.fleetward.transport.ssh.SshTransport;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds fleetward's parts from the configuration. The parts are plain classes; this is the one
 * place that knows how they fit. Every check here fails start-up with the offending key's name.
 */
public class Wiring {
    private static final Logger LOG = Logger.getLogger(Wiring.class);
    /** How long a deploy command that outlived a crash gets to end on SIGTERM before it is killed. */
    static final Duration LEFTOVER_GRACE = Duration.ofSeconds(10);

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    Layout layout(DataDirConfig data, SourceConfig source, TransportConfig transport) {
        Path dataDir = data.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("fleetward.data-dir: cannot create " + dataDir, e);
        }
        Optional<DemoFleet> demo = source.runsDemo() ? Optional.of(DemoFleet.materialize(dataDir)) : Optional.empty();
        String url = source.url().orElseGet(() -> demo.get().source().toString());
        Optional<Path> simulation = transport.local().simulationRoot()
                .or(() -> demo.map(DemoFleet::simulationRoot));
        return new Layout(dataDir, url, demo.isPresent(), simulation);
    }

    @Produces
    @Singleton
    GitSource gitSource(SourceConfig source, Layout layout, SshSettings ssh) {
        Optional<String> token = source.httpsTokenFile().map(file -> Secrets.firstLine("fleetward.source.https-token-file", file)).or(source::httpsToken);
        return new GitSource(new SourceSettings(layout.sourceUrl(), source.branch(),
                layout.dataDir().resolve("source.git"), source.fetchTimeout(), Optional.of(source.httpsUser()), token,
                Optional.of(ssh)));
    }

    /** {@code fleetward.ssh.key-dir}, resolved once; a missing folder stops start-up naming the key. */
    static KeyDirectory keyDirectory(SshConfig ssh) {
        if (ssh.keyDir().isEmpty()) {
            LOG.info("fleetward.ssh.key-dir is not set: per-host ssh-identity / ssh-known-hosts in the overlay are refused");
            return KeyDirectory.NONE;
        }
        try {
            KeyDirectory keys = KeyDirectory.of(ssh.keyDir().get());
            LOG.infof("per-host SSH key paths of the overlay are confined to %s (fleetward.ssh.key-dir)", keys);
            return keys;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fleetward.ssh.key-dir: " + e.getMessage());
        }
    }

    /** One set of SSH rules for hosts, the deployer host and the source: same key, same known_hosts, same policy. */
    @Produces
    @Singleton
    SshSettings sshSettings(SshConfig ssh, Layout layout) {
        ssh.identity().ifPresent(identity -> {
            if (!Files.isReadable(identity)) {
                throw new IllegalArgumentException("fleetward.ssh.identity: cannot read " + identity);
            }
        });
        Path knownHosts = ssh.knownHosts().orElseGet(() -> layout.dataDir().resolve("ssh").resolve("known_hosts"));
        try {
            Files.createDirectories(knownHosts.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("fleetward.ssh.known-hosts: cannot create the folder of " + knownHosts, e);
        }
        try {
            return new SshSettings(ssh.identity(), knownHosts, ssh.hostKeyPolicy(), ssh.connectTimeout(),
                    ssh.authTimeout(), ssh.keepAlive(), ssh.idleTimeout());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fleetward.ssh: " + e.getMessage());
        }
    }

    void closeGitSource(@Disposes GitSource source) {
        source.close();
    }

    @Produces
    @Singleton
    Database database(StoreConfig store, Layout layout) {
        positive("fleetward.store.pool-size", store.poolSize());
        return new Database(store.url().orElseGet(() -> Database.defaultUrl(layout.dataDir())), store.username(),
                store.password(), store.poolSize());
    }

    /** The data dir's free space, watched by readiness and a metric. */
    @Produces
    @Singleton
    DataDirSpace dataDirSpace(StoreConfig store, Layout layout) {
        return new DataDirSpace(layout.dataDir(), store.minFreeSpace().asLongValue());
    }

    void closeDatabase(@Disposes Database database) {
        database.close();
    }

    @Produces
    @Singleton
    DeploymentStore deploymentStore(Database database, InstanceConfig instance, Layout layout) {
        return new DeploymentStore(database, InstanceId.choose(instance.id(), layout.dataDir()));
    }

    @Produces
    @Singleton
    LedgerStore ledgerStore(Database database) {
        return new LedgerStore(database);
    }

    @Produces
    @Singleton
    StatusStore statusStore(Database database) {
        return new StatusStore(database);
    }

    @Produces
    @Singleton
    EvaluationStore evaluationStore(Database database) {
        return new EvaluationStore(database);
    }


    @Produces
    @Singleton
    FleetControlStore fleetControlStore(Database database) {
        return new FleetControlStore(database);
    }

    @Produces
    @Singleton
    SshTransport sshTransport(SshSettings settings, SshMetrics metrics) {
        return new SshTransport(settings, metrics, Wiring::sshAddress);
    }

    /**
     * An SSH destination, read with the inventory's target-host rules: {@link TargetHost} is the one
     * parser of {@code [user@]host[:port]}, and the transport gets only the parts.
     */
    public static SshAddress sshAddress(String destination) {
        TargetHost parsed = TargetHost.parse(destination);
        return new SshAddress(parsed.user(), parsed.host(), parsed.port());
    }

    void closeSshTransport(@Disposes SshTransport transport) {
        transport.close();
    }

    @Produces
    @Singleton
    Transports transports(TransportConfig transportConfig, SshConfig sshConfig, Layout layout, SshTransport ssh) {
        if (sshConfig.identity().isEmpty() && !layout.demo()) {
            LOG.warn("fleetward.ssh.identity is not set: hosts reached over ssh will show UNREACHABLE until it is");
        }
        return new Transports(List.of(new LocalTransport(layout.simulationRoot(),
                transportConfig.local().environment()), ssh));
    }

    @Produces
    @Singleton
    Prober prober(CommandsConfig c, ProbeConfig probe, Transports transports, Clock clock) {
        positive("fleetward.probe.parallelism", probe.parallelism());
        return new Prober(transports, probeCommands(c), probe.timeout(), clock);
    }

    @Produces
    @Singleton
    Deployer deployer(DeployConfig deploy, CommandsConfig c, SourceConfig sourceConfig, Layout layout,
                      Transports transports, Prober prober, GitSource source, DeploymentStore deployments,
                      LedgerStore ledger, DeployMetrics metrics, Clock clock) {
        DeployCommands commands = deployCommands(c);
        positive("fleetward.deploy.log-tail-lines", deploy.logTailLines());
        String flakeRef = deploy.flakeRef()
                .orElseGet(() -> FlakeRefs.pinned(source.displayUrl(), sourceConfig.branch()));
        if (!flakeRef.contains("{rev}")) {
            throw new IllegalArgumentException("fleetward.deploy.flake-ref: must contain {rev} to pin the revision");
        }
        DeploySettings settings = new DeploySettings(deploy.timeout(), deploy.dryRun(), flakeRef,
                layout.dataDir().resolve("logs"), layout.dataDir().resolve("checkouts"), deploy.logTailLines(),
                SystemRunner.parse("fleetward.deploy.system-runner", deploy.systemRunner()));
        return new Deployer(commands, transports, prober, source, deployments, ledger, metrics, settings, clock,
                safetyCommands(c), safetySettings(deploy));
    }

    /** The health gate's and the dead man's switch's time limits, checked at start-up. */
    public static SafetySettings safetySettings(DeployConfig deploy) {
        if (deploy.healthTimeout().isNegative() || deploy.healthTimeout().isZero()) {
            throw new IllegalArgumentException("fleetward.deploy.health-timeout: must be positive");
        }
        if (deploy.confirmTimeout().toSeconds() < 1) {
            throw new IllegalArgumentException("fleetward.deploy.confirm-timeout: must be at least 1s");
        }
        return new SafetySettings(deploy.healthTimeout(), deploy.confirmTimeout());
    }

    /** The precheck, health, rollback and dead man's switch command lines, each checked for unknown placeholders. */
    public static SafetyCommands safetyCommands(CommandsConfig c) {
        return new SafetyCommands(
                CommandTemplate.of("fleetward.commands.precheck-system", c.precheckSystem()),
                CommandTemplate.of("fleetward.commands.health-system", c.healthSystem()),
                CommandTemplate.of("fleetward.commands.health-home", c.healthHome()),
                CommandTemplate.of("fleetward.commands.rollback-system.nixos", c.rollbackSystem().nixos()),
                CommandTemplate.of("fleetward.commands.rollback-system.darwin", c.rollbackSystem().darwin()),
                CommandTemplate.of("fleetward.commands.rollback-home", c.rollbackHome()),
                CommandTemplate.of("fleetward.commands.arm-rollback", c.armRollback()),
                CommandTemplate.of("fleetward.commands.disarm-rollback", c.disarmRollback()));
    }

    @Produces
    @Singleton
    ReconcileLoop reconcileLoop(DeployConfig deploy, FleetConfig fleet, CommandsConfig c, ImpactConfig impact,
                                ProbeConfig probe, EvaluateConfig evaluate, EvaluationStore evaluations, TransportConfig transport, CheckinConfig checkin, Layout layout,
                                GitSource source, Transports transports, Prober prober, Deployer deployer,
                                DeploymentStore deployments, LedgerStore ledger, StatusStore statuses,
                                FleetControlStore controls, LoopMetrics metrics, SourceTrust trust, Clock clock,
                                SshConfig sshConfig, Notifications notifications) {
        positive("fleetward.deploy.parallelism", deploy.parallelism());
        positive("fleetward.evaluate.parallelism", evaluate.parallelism());
        positive("fleetward.deploy.retry.max-attempts", deploy.retry().maxAttempts());
        if (deploy.retry().multiplier() < 1) {
            throw new IllegalArgumentException("fleetward.deploy.retry.multiplier: must be at least 1");
        }
        Path checkouts = layout.dataDir().resolve("checkouts");
        InventoryLoader loader = new InventoryLoader(fleet.file(), fleet.domain(),
                defaultTransport(transport, layout), keyDirectory(sshConfig));
        InventoryReader inventory = new InventoryReader(source, loader, c.inventory(),
                transports.local(), checkouts.resolve(".inventory"), c.inventoryTimeout());
        DesiredPaths desiredPaths = new DesiredPaths(
                c.evaluateSystem().map(t -> CommandTemplate.of("fleetward.commands.evaluate-system", t)),
                c.evaluateHome().map(t -> CommandTemplate.of("fleetward.commands.evaluate-home", t)),
                source, transports.local(), checkouts.resolve(".evaluate"), c.evaluateTimeout());
        Backoff backoff = new Backoff(deploy.retry().initial(), deploy.retry().multiplier(), deploy.retry().max(),
                deploy.retry().maxAttempts());
        LoopParts parts = new LoopParts(source, inventory, prober::probe, new DriftResolver(impactRules(impact, fleet),
                new ImpactSectionHistory(loader, source::files)::at),
                desiredPaths, deployer::deploy, deployments, leftoverCommands(LEFTOVER_GRACE), ledger, ledger,
                evaluations, statuses, controls, metrics, clock, trust, notifications);
        if (probe.interval().isNegative() || probe.interval().isZero()) {
            throw new IllegalArgumentException("fleetward.probe.interval: must be positive, got " + probe.interval());
        }
        LoopSettings settings = new LoopSettings(deploy.parallelism(), deploy.dryRun(), deploy.shutdownGrace(),
                checkin.freshFor(), backoff, probe.interval());
        return new ReconcileLoop(parts, settings, LoopThreads.standard(probe.parallelism(), deploy.parallelism(),
                evaluate.parallelism()));
    }

    /**
     * Ends a deploy command that a crash left running on the controller: its recorded process group,
     * only if one of the group's processes still carries the deployment's id in its environment
     * ({@link Deployer#DEPLOYMENT_VARIABLE}); SIGTERM, then SIGKILL after {@code grace}.
     */
    public static LeftoverCommands leftoverCommands(Duration grace) {
        return (deployment, processGroup) -> {
            ProcessGroup group;
            try {
                group = ProcessGroup.of(processGroup);
            } catch (IllegalArgumentException e) {
                return LeftoverCommands.Found.NOT_OURS; // fleetward's own group now, or an id naming no group
            }
            try {
                return switch (group.endIfCarrying(Deployer.DEPLOYMENT_VARIABLE, Long.toString(deployment), grace)) {
                    case GONE -> LeftoverCommands.Found.ENDED_BEFORE;
                    case TERMINATED -> LeftoverCommands.Found.TERMINATED;
                    case KILLED -> LeftoverCommands.Found.KILLED;
                    case LEFT_ALONE -> LeftoverCommands.Found.NOT_OURS;
                    case SURVIVED -> LeftoverCommands.Found.STILL_RUNNING;
                };
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return LeftoverCommands.Found.STILL_RUNNING;
            }
        };
    }

    /** Operators' requests and host check-ins, handed to the loop's pass thread. */
    @Produces
    @Singleton
    FleetControls fleetControls(ReconcileLoop loop) {
        return loop.controls();
    }

    /** The probe command lines, each checked for unknown placeholders (the key named on error). */
    public static ProbeCommands probeCommands(CommandsConfig c) {
        return new ProbeCommands(
                CommandTemplate.of("fleetward.commands.probe-system", c.probeSystem()),
                CommandTemplate.of("fleetward.commands.probe-booted", c.probeBooted()),
                CommandTemplate.of("fleetward.commands.probe-revision.nixos", c.probeRevision().nixos()),
                CommandTemplate.of("fleetward.commands.probe-revision.darwin", c.probeRevision().darwin()),
                CommandTemplate.of("fleetward.commands.probe-home", c.probeHome()));
    }

    /** The deploy command lines, each checked for unknown placeholders. */
    public static DeployCommands deployCommands(CommandsConfig c) {
        return new DeployCommands(CommandTemplate.of("fleetward.commands.system-deploy", c.systemDeploy()),
                CommandTemplate.of("fleetward.commands.home-deploy", c.homeDeploy()));
    }

    /** The configured ignores, plus the overlay file: it steers fleetward and is part of no Nix configuration. */
    private static ImpactRules impactRules(ImpactConfig impact, FleetConfig fleet) {
        List<String> ignore = new java.util.ArrayList<>(impact.ignore());
        // Anchored: a file of the same name in a sub-folder is part of the configuration.
        ignore.add("/" + fleet.file());
        return new ImpactRules(GitPathPatterns.INSTANCE, ignore);
    }

    /** A real fleet is reached over SSH; the demo's simulated machines are local folders. */
    private static String defaultTransport(TransportConfig transport, Layout layout) {
        TransportConfig.Kind fallback = layout.demo() ? TransportConfig.Kind.LOCAL : TransportConfig.Kind.SSH;
        return transport.defaultTransport().orElse(fallback).id();
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + ": must be at least 1, got " + value);
        }
    }

    /**
     * Where things are, resolved once.
     *
     * @param sourceUrl      the configured source URL, or the demo repository's path
     * @param demo           whether the embedded demo fleet runs
     * @param simulationRoot stand-in tools and per-host state for local commands (demo and tests only)
     */
    public record Layout(Path dataDir, String sourceUrl, boolean demo, Optional<Path> simulationRoot) {
    }
}
