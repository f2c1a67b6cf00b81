package io.fleetward.execute;

import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetKind;
import io.fleetward.observe.Observation;
import io.fleetward.observe.Prober;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceException;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.Transport;
import io.fleetward.transport.TransportException;
import io.fleetward.transport.Transports;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs one deployment: the deploy command with its output streamed to a log file, then a re-probe
 * to verify, then the ledger entry and the deployment record. Success needs both an exit status of
 * 0 and a machine that now reports a new state.
 */
public final class Deployer {
    private static final Logger LOG = Logger.getLogger(Deployer.class);
    /** Checkouts on a deployer host, relative to the SSH user's home, one folder per host. */
    static final Path REMOTE_CHECKOUTS = Path.of(".cache/fleetward/checkouts");
    /**
     * The environment variable that carries the deployment id to the deploy command: after a crash,
     * a process group is the deployment's command only if one of its processes carries it.
     */
    public static final String DEPLOYMENT_VARIABLE = "FLEETWARD_DEPLOYMENT";

    private final DeployCommands commands;
    private final Transports transports;
    private final Prober prober;
    private final GitSource source;
    private final DeploymentJournal deployments;
    private final LedgerWriter ledger;
    private final DeployMetrics metrics;
    private final DeploySettings settings;
    private final Clock clock;
    private final CheckoutArchive archive;

    public Deployer(DeployCommands commands, Transports transports, Prober prober, GitSource source,
                    DeploymentJournal deployments, LedgerWriter ledger, DeployMetrics metrics, DeploySettings settings,
                    Clock clock) {
        this.commands = commands;
        this.transports = transports;
        this.prober = prober;
        this.source = source;
        this.deployments = deployments;
        this.ledger = ledger;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.archive = (revision, out) -> {
            try {
                source.archive(revision, out);
            } catch (SourceException e) {
                throw new IOException(e.getMessage(), e);
            }
        };
    }

    /**
     * Runs the deployment to its end and never throws: whatever fails (the store while recording the
     * start, the ledger after activation, the log file) ends the deployment FAILED with the reason,
     * and a row that was written is closed. An interrupt (shutdown past its grace period) kills the
     * command and records the deployment as INTERRUPTED; the thread's interrupt flag is then set again.
     */
    public DeploymentResult deploy(DeploymentRequest request) {
        Target target = request.target();
        if (CommitId.parse(request.revision())
                .filter(id -> id.isSha1() && id.hex().equals(request.revision())).isEmpty()) {
            throw new IllegalArgumentException("not a full commit id");
        }
        Instant start = clock.instant();
        long id;
        try {
            id = deployments.begin(target.id(), request.revision(), request.trigger(), start, null);
        } catch (RuntimeException e) {
            DeploymentResult result = DeploymentResult.transientFailure(DeploymentResult.NO_ROW, null,
                    "could not record the deployment's start, nothing ran: " + e.getMessage(), null);
            finished(request, result, start);
            return result;
        }
        DeploymentResult result;
        String tail = "";
        Path logFile = settings.logDir().resolve("deployment-" + id + ".log");
        try (DeploymentLog log = new DeploymentLog(logFile, settings.logTailLines())) {
            deployments.attachLog(id, logFile.toString());
            log.line("# fleetward deployment " + id + ": " + target.id() + " at " + request.revision()
                    + " (trigger " + request.trigger() + ", attempt " + request.attempt() + ")");
            log.line("# reason: " + request.reason());
            result = run(id, request, log);
            log.line("# outcome: " + result.outcome() + (result.exitCode() == null ? "" : " (exit " + result.exitCode()
                    + ")") + ": " + result.reason());
            tail = log.tail();
        } catch (IOException | UncheckedIOException e) {
            result = DeploymentResult.transientFailure(id, null, "cannot write the deployment log: " + e.getMessage(),
                    null);
        } catch (RuntimeException e) {
            result = DeploymentResult.transientFailure(id, null, "deployment failed unexpectedly: " + e.getMessage(),
                    null);
        }
        try {
            deployments.finish(id, result.outcome(), result.exitCode(), result.reason(), tail, clock.instant());
        } catch (RuntimeException e) {
            // The row stays RUNNING until the next start marks it INTERRUPTED; the target is retried.
            result = DeploymentResult.transientFailure(id, result.exitCode(), "could not record the end of deployment "
                    + id + " (" + result.outcome() + "): " + e.getMessage(), result.after());
        }
        finished(request, result, start);
        return result;
    }

    private void finished(DeploymentRequest request, DeploymentResult result, Instant start) {
        Duration took = Duration.between(start, clock.instant());
        metrics.deploymentFinished(request.target().kind(), result.outcome().name(), took);
        LOG.infof("deployment %d of %s at %s: %s in %ds: %s", result.id(), request.target().id(),
                CommitId.abbreviate(request.revision()), result.outcome(), took.toSeconds(), result.reason());
    }

    private DeploymentResult run(long id, DeploymentRequest request, DeploymentLog log) throws IOException {
        Target target = request.target();
        Map<String, String> env = Map.of("FLEETWARD_REV", request.revision(),
                "FLEETWARD_TARGET", target.id().toString(), DEPLOYMENT_VARIABLE, Long.toString(id));
        CommandRequest command;
        Transport transport;
        try {
            if (target.kind() == TargetKind.SYSTEM) {
                // clan builds from the flake in a clean checkout of the desired revision, on the runner.
                Path checkout = settings.checkoutDir().resolve(target.host().name());
                SystemRunner runner = settings.systemRunner();
                if (!settings.dryRun() && runner.local()) {
                    source.export(request.revision(), checkout);
                }
                Path workingDirectory = runner.local() ? checkout : REMOTE_CHECKOUTS.resolve(target.host().name());
                // {flake} is the checkout: absolute on the controller, "." on a runner (the command runs in it).
                String line = commands.system().render(values(request, runner.local() ? checkout.toString() : "."));
                if (runner.local()) {
                    transport = transports.local();
                    command = new CommandRequest(target.host().name(), null, target.host().destination(null), line,
                            workingDirectory, env, settings.timeout(), log::line);
                } else {
                    transport = transports.named("ssh");
                    command = new CommandRequest(target.host().name(), null, runner.destination(), line,
                            workingDirectory, env, settings.timeout(), log::line);
                    if (!settings.dryRun()) {
                        log.line("# copying the checkout to " + runner);
                        Optional<DeploymentResult> failed = upload(id, target, transport, runner,
                                request.revision(), workingDirectory, log);
                        if (failed.isPresent()) {
                            return failed.get();
                        }
                    }
                }
            } else {
                // nh has no --target-host: it runs on the host as the user, fetching the pinned flake itself.
                String line = commands.home().render(values(request, flakeRef(request.revision())));
                transport = transports.named(target.host().transport());
                command = new CommandRequest(target.host().name(), target.user(),
                        target.host().destination(target.user()), line, null, env, settings.timeout(), log::line)
                        .withSsh(target.host().ssh().identity(), target.host().ssh().knownHosts());
            }
        } catch (SourceException e) {
            return DeploymentResult.transientFailure(id, null, "checkout failed: " + e.getMessage(), null);
        } catch (TransportException e) {
            return DeploymentResult.transientFailure(id, null, e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeploymentResult.interrupted(id, null, "fleetward stopped while the checkout was copied");
        }
        log.line("$ " + command.commandLine());
        if (settings.dryRun()) {
            return DeploymentResult.dryRun(id);
        }

        CommandResult result;
        try {
            // A command run on the controller leads a process group: recorded before it is waited for,
            // so that the next start can end it if fleetward dies meanwhile.
            result = transport.run(command.withProcessGroupListener(group -> recordProcessGroup(id, group, log)));
        } catch (TransportException e) {
            return DeploymentResult.transientFailure(id, null, e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeploymentResult.interrupted(id, null,
                    "fleetward stopped during the deployment; the command was killed");
        }
        if (result.timedOut()) {
            return DeploymentResult.timedOut(id,
                    "deploy timeout of " + settings.timeout().toMinutes() + "m reached: the command was killed"
                            + (transport == transports.local() ? "" : " (over SSH: its process group was ended on the host)"));
        }
        if (result.exitCode() != 0) {
            return DeploymentResult.commandFailure(id, result.exitCode(),
                    commands.forKind(target.kind()).key() + " exited " + result.exitCode());
        }
        return verify(id, request);
    }

    private void recordProcessGroup(long id, long group, DeploymentLog log) {
        try {
            deployments.attachProcessGroup(id, group);
        } catch (RuntimeException e) {
            throw new IllegalStateException("its process group " + group + " could not be recorded: "
                    + e.getMessage(), e);
        }
        log.line("# the command runs as process group " + group);
    }

    /**
     * Replaces the runner's checkout of this host with the planned revision, streamed as a tar straight
     * from the repository (no checkout on the controller's disk): the runner needs no access to the
     * repository, and gets exactly the revision that was planned.
     */
    private Optional<DeploymentResult> upload(long id, Target target, Transport transport, SystemRunner runner,
                                              String revision, Path remoteDir, DeploymentLog log)
            throws TransportException, InterruptedException {
        String dir = CommandTemplate.quote(remoteDir.toString());
        String line = "rm -rf -- " + dir + " && mkdir -p -- " + dir + " && tar -xf - -C " + dir;
        // The transport only logs a failing stdin writer; a tar cut short at an entry boundary would
        // still extract "successfully", so the writer's own failure decides too.
        AtomicReference<Exception> streamFailure = new AtomicReference<>();
        CommandResult copied = transport.run(new CommandRequest(target.host().name(), null, runner.destination(),
                line, null, Map.of(), settings.timeout(), log::line)
                .withStdin(out -> {
                    try {
                        archive.write(revision, out);
                    } catch (IOException | RuntimeException e) {
                        streamFailure.set(e);
                        throw e;
                    }
                }));
        if (streamFailure.get() != null) {
            return Optional.of(DeploymentResult.transientFailure(id, null, "copying the checkout to "
                    + runner + " failed while streaming it: " + streamFailure.get().getMessage(), null));
        }
        if (copied.succeeded()) {
            return Optional.empty();
        }
        return Optional.of(DeploymentResult.transientFailure(id, null, "copying the checkout to "
                + runner + (copied.timedOut() ? " timed out" : " failed with exit " + copied.exitCode()), null));
    }

    /**
     * Re-probes: the command claimed success; the machine must now report a state. A new path is a
     * deployment; the same path as before means the machine already ran this configuration (UNCHANGED).
     * Either way the ledger learns which path the revision gave.
     */
    private DeploymentResult verify(long id, DeploymentRequest request) {
        Target target = request.target();
        Observation after;
        try {
            after = prober.probe(target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeploymentResult.interrupted(id, 0, "fleetward stopped before the deployment was verified");
        }
        if (!after.reachable()) {
            return DeploymentResult.transientFailure(id, 0, "exited 0 but the re-probe failed: " + after.unreachable(),
                    after);
        }
        if (after.currentPath() == null) {
            return DeploymentResult.transientFailure(id, 0, "exited 0 but the machine reports no active generation",
                    after);
        }
        String before = request.before() == null ? null : request.before().currentPath();
        boolean changed = !Objects.equals(before, after.currentPath());
        boolean reportsRevision = CommitId.parse(after.configurationRevision())
                .map(reported -> reported.hex().equals(request.revision())).orElse(false);
        try {
            ledger.record(target.id(), request.revision(), after.currentPath(), after.at());
        } catch (RuntimeException e) {
            return DeploymentResult.transientFailure(id, 0, "now at " + StorePath.nameOf(after.currentPath())
                    + ", but the ledger could not record it: " + e.getMessage(), after);
        }
        if (!changed && !reportsRevision && !request.forced()) {
            return DeploymentResult.unchanged(id, "already ran this configuration: still at "
                    + StorePath.nameOf(after.currentPath()), after);
        }
        return DeploymentResult.succeeded(id, "now at " + StorePath.nameOf(after.currentPath()), after);
    }

    private static Map<String, String> values(DeploymentRequest request, String flake) {
        Map<String, String> values = new HashMap<>(Prober.values(request.target()));
        values.put("rev", request.revision());
        values.put("flake", flake);
        return values;
    }

    private String flakeRef(String revision) {
        return settings.flakeRef().replace("{rev}", revision);
    }

    /** The full log on disk, and the last lines in memory for the database. */
    private static final class DeploymentLog implements AutoCloseable {
        private final BufferedWriter writer;
        private final ArrayDeque<String> tail = new ArrayDeque<>();
        private final int tailLines;

        DeploymentLog(Path file, int tailLines) throws IOException {
            Files.createDirectories(file.getParent());
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            this.tailLines = tailLines;
        }

        synchronized void line(String line) {
            try {
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tail.addLast(line);
            if (tail.size() > tailLines) {
                tail.removeFirst();
            }
        }

        synchronized String tail() {
            return String.join("\n", tail);
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }
}
