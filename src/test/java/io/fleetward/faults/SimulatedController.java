package io.fleetward.faults;

import io.fleetward.source.GitPathPatterns;
import io.fleetward.Wiring;
import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.ImpactRules;
import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.evaluate.InventoryReader;
import io.fleetward.execute.DeployCommands;
import io.fleetward.execute.DeployMetrics;
import io.fleetward.execute.DeploySettings;
import io.fleetward.execute.Deployer;
import io.fleetward.execute.SystemRunner;
import io.fleetward.fleet.InventoryLoader;
import io.fleetward.observe.ProbeCommands;
import io.fleetward.observe.Prober;
import io.fleetward.reconcile.Backoff;
import io.fleetward.reconcile.LoopMetrics;
import io.fleetward.reconcile.LoopParts;
import io.fleetward.reconcile.LoopSettings;
import io.fleetward.reconcile.LoopThreads;
import io.fleetward.reconcile.SavedEvaluations;
import io.fleetward.reconcile.ReconcileLoop;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceSettings;
import io.fleetward.store.Database;
import io.fleetward.store.DeploymentStore;
import io.fleetward.store.FleetControlStore;
import io.fleetward.store.LedgerStore;
import io.fleetward.store.StatusStore;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.LocalTransport;
import io.fleetward.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fleetward's parts on a controller whose fleet is a {@code SimulatedFleet} folder, built as
 * {@code Wiring} builds them: the git source, the local transport with the demo's stand-in tools
 * first on PATH, the prober, the deployer and the stores on the data dir's embedded H2 file, which
 * is what the daemon opens when no database is configured. Two processes can build one after the
 * other on the same folder, as a daemon and its restart do.
 *
 * <p>System deploys run {@code clan machines update <host>} through {@link #GUARD}, a stand-in
 * wrapper that shows whether two deploys of a host ran at once (see {@link #installGuard}).
 */
final class SimulatedController implements AutoCloseable {
    /** The wrapper every system deploy runs through, in {@link #faults}. */
    static final String GUARD = "deploy-guard";
    static final Duration LEFTOVER_GRACE = Duration.ofSeconds(10);

    private final Path root;
    final Database database;
    final DeploymentStore deployments;
    final LedgerStore ledger;
    final GitSource source;
    final Transports transports;
    final Prober prober;
    final Deployer deployer;

    SimulatedController(Path root) {
        this.root = root;
        Path data = root.resolve("data");
        this.database = new Database(Database.defaultUrl(data), Optional.empty(), Optional.empty(), 2);
        this.deployments = new DeploymentStore(database);
        this.ledger = new LedgerStore(database);
        this.source = new GitSource(new SourceSettings(root.resolve("repo").toString(), "main",
                data.resolve("source.git"), Duration.ofSeconds(30), Optional.empty(), Optional.empty()));
        this.transports = new Transports(List.of(new LocalTransport(Optional.of(root.resolve("sim")), Map.of())));
        this.prober = new Prober(transports, new ProbeCommands(
                CommandTemplate.of("probe-system", "readlink /run/current-system"),
                CommandTemplate.of("probe-booted", "readlink /run/booted-system"),
                CommandTemplate.of("probe-revision.nixos", "nixos-version --json"),
                CommandTemplate.of("probe-revision.darwin", "darwin-version --json"),
                CommandTemplate.of("probe-home", "readlink \"$HOME/.local/state/home-manager/gcroots/current-home\"")),
                Duration.ofSeconds(30), Clock.systemUTC());
        String guard = CommandTemplate.quote(faults(root).resolve(GUARD).toString());
        this.deployer = new Deployer(new DeployCommands(
                CommandTemplate.of("system-deploy", guard + " {host} clan machines update {host}"),
                CommandTemplate.of("home-deploy", "nh home switch {flake} --configuration {configuration}")),
                transports, prober, source, deployments, ledger, DeployMetrics.NOOP,
                new DeploySettings(Duration.ofMinutes(30), false, "git+file://" + root.resolve("repo")
                        + "?ref=main&rev={rev}", data.resolve("logs"), data.resolve("checkouts"), 50,
                        SystemRunner.LOCAL), Clock.systemUTC());
    }

    /** The fault folder: the guard, its lock files and its notes. */
    static Path faults(Path root) {
        return root.resolve("faults");
    }

    /**
     * Writes the guard. Every run takes the host's lock ({@code <host>.lock}, an flock that the
     * command's children inherit, so it is free only once all of them have ended), appends its
     * deployment id to {@code <host>.runs}, and appends a line to {@code overlaps} when the lock was
     * still held by an earlier deploy of the host. A run that finds {@code <host>.hang} removes it
     * and hangs: it starts a child shell with a sleeper of its own and a sleeper, writes their pids
     * to {@code <host>.pids} (pid of the guard first) and waits for them. Any other run execs the
     * deploy command it wraps.
     */
    static void installGuard(Path root) {
        Path guard = faults(root).resolve(GUARD);
        String script = """
                #!/bin/sh
                # Stand-in wrapper of a system deploy for fleetward's crash tests: deploy-guard HOST COMMAND...
                host=$1
                shift
                dir=$(dirname "$0")
                exec 9>>"$dir/$host.lock"
                if ! flock -n 9; then
                    echo "deployment $FLEETWARD_DEPLOYMENT of $host started while an earlier one ran" >> "$dir/overlaps"
                fi
                echo "$FLEETWARD_DEPLOYMENT" >> "$dir/$host.runs"
                if [ -e "$dir/$host.hang" ]; then
                    rm -f "$dir/$host.hang"
                    sh -c 'sleep 600 & echo $$ $! > "$1"; wait' child "$dir/$host.child" &
                    child=$!
                    sleep 600 &
                    sleeper=$!
                    while [ ! -s "$dir/$host.child" ]; do sleep 0.1; done
                    echo $$ $sleeper $(cat "$dir/$host.child") > "$dir/$host.pids.tmp"
                    mv "$dir/$host.pids.tmp" "$dir/$host.pids"
                    wait
                    exit 1
                fi
                exec "$@"
                """;
        try {
            Files.createDirectories(guard.getParent());
            Files.writeString(guard, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!guard.toFile().setExecutable(true, false)) {
            throw new IllegalStateException("cannot make " + guard + " executable");
        }
    }

    /** The reconcile loop as the daemon builds it, on these parts and real threads. */
    ReconcileLoop loop() {
        Path checkouts = root.resolve("data").resolve("checkouts");
        InventoryReader inventory = new InventoryReader(source, new InventoryLoader("fleetward.yaml",
                Optional.empty(), "local"), Optional.empty(), transports.local(), checkouts.resolve(".inventory"),
                Duration.ofMinutes(1));
        DesiredPaths desiredPaths = new DesiredPaths(Optional.empty(), Optional.empty(), source, transports.local(),
                checkouts.resolve(".evaluate"), Duration.ofMinutes(1));
        LoopParts parts = new LoopParts(source, inventory, prober::probe,
                new DriftResolver(new ImpactRules(GitPathPatterns.INSTANCE, List.of("**/*.md", "fleetward.yaml"))), desiredPaths,
                deployer::deploy, deployments, Wiring.leftoverCommands(LEFTOVER_GRACE), ledger,
                ledger, SavedEvaluations.NONE, new StatusStore(database), new FleetControlStore(database), LoopMetrics.NOOP, Clock.systemUTC());
        return new ReconcileLoop(parts, new LoopSettings(4, false, Duration.ofSeconds(5), Duration.ofMinutes(15),
                new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 3)), LoopThreads.standard(4, 4));
    }

    @Override
    public void close() {
        source.close();
        database.close();
    }
}
