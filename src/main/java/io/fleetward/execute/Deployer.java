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
import java.util.List;
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
    /** The precheck, health gate, rollback and dead man's switch; null: deploy and verify only. */
    private final DeploymentGuards guards;

    /** A deployer without guards: deploy and verify only (no precheck, health gate or rollback). */
    public Deployer(DeployCommands commands, Transports transports, Prober prober, GitSource source,
                    DeploymentJournal deployments, LedgerWriter ledger, DeployMetrics metrics, DeploySettings settings,
                    Clock clock) {
        this(commands, transports, prober, source, deployments, ledger, metrics, settings, clock, null, null);
    }

    /**
     * A deployer that guards each deployment: the precheck before a system deploy, the dead man's switch
     * around a system deploy over SSH, the health gate after a verified deploy and the rollback when it fails.
     */
    public Deployer(DeployCommands commands, Transports transports, Prober prober, GitSource source,
                    DeploymentJournal deployments, LedgerWriter ledger, DeployMetrics metrics, DeploySettings settings,
                    Clock clock, SafetyCommands safety, SafetySettings safetySettings) {
        this.guards = safety == null ? null
                : new DeploymentGuards(safety, safetySettings, transports, prober, metrics, settings.timeout());
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
        if (request.rollbackTo() != null) {
            return requestedRollback(id, request, log);
        }
        Target target = request.target();
        Map<String, String> values;
        Path checkout = null;
        Map<String, String> env = Map.of("FLEETWARD_REV", request.revision(),
                "FLEETWARD_TARGET", target.id().toString(), DEPLOYMENT_VARIABLE, Long.toString(id));
        CommandRequest command;
        Transport transport;
        try {
            if (target.kind() == TargetKind.SYSTEM) {
                // clan builds from the flake in a clean checkout of the desired revision, on the runner.
                checkout = settings.checkoutDir().resolve(target.host().name());
                SystemRunner runner = settings.systemRunner();
                if (!settings.dryRun() && runner.local()) {
                    source.export(request.revision(), checkout);
                }
                Path workingDirectory = runner.local() ? checkout : REMOTE_CHECKOUTS.resolve(target.host().name());
                // {flake} is the checkout: absolute on the controller, "." on a runner (the command runs in it).
                values = values(request, runner.local() ? checkout.toString() : ".");
                String line = commands.system().render(values);
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
                values = values(request, flakeRef(request.revision()));
                String line = commands.home().render(values);
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
        if (settings.dryRun()) {
            log.line("$ " + command.commandLine());
            return DeploymentResult.dryRun(id);
        }
        boolean armed = false;
        if (guards != null) {
            try {
                Optional<DeploymentResult> refused = precheck(id, target, transport, command, values, log);
                if (refused.isPresent()) {
                    return refused.get();
                }
                String previous = request.previousPath();
                if (guards.switchGuards(target, previous)) {
                    DeploymentGuards.Ran arm = guards.arm(target, id, previous, values, log::line);
                    if (!arm.succeeded()) {
                        return DeploymentResult.transientFailure(id, null, "could not arm the dead man's switch on "
                                + target.host().name() + ", nothing was deployed: " + arm.why(), null);
                    }
                    armed = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DeploymentResult.interrupted(id, null, "fleetward stopped before the deploy command ran");
            }
        }
        log.line("$ " + command.commandLine());
        DeploymentResult deployed = deployAndVerify(id, request, transport, command, log);
        if (checkout != null && settings.systemRunner().local() && deployed.outcome() != DeploymentOutcome.INTERRUPTED) {
            deployed = uncommitted(request, checkout, deployed, log);
        }
        if (guards == null) {
            return deployed;
        }
        try {
            return guard(id, request, deployed, armed, values, log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeploymentResult.interrupted(id, deployed.exitCode(), "fleetward stopped during the health gate"
                    + (armed ? "; the dead man's switch on " + target.host().name() + " stays armed" : ""));
        }
    }

    /** Runs the deploy command and, when it exited 0, verifies by re-probing. */
    private DeploymentResult deployAndVerify(long id, DeploymentRequest request, Transport transport,
                                             CommandRequest command, DeploymentLog log) {
        Target target = request.target();
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

    /**
     * The precheck of a system deploy ({@code clan vars check <host>}), where the deploy command runs:
     * a non-zero exit fails the deployment before anything reaches the host.
     */
    private Optional<DeploymentResult> precheck(long id, Target target, Transport transport, CommandRequest command,
                                                Map<String, String> values, DeploymentLog log)
            throws InterruptedException {
        if (target.kind() != TargetKind.SYSTEM) {
            return Optional.empty();
        }
        DeploymentGuards.Ran pre = guards.precheck(transport, command, values, log::line);
        if (pre.succeeded()) {
            return Optional.empty();
        }
        String host = target.host().name();
        if (pre.exitCode() == null) {
            return Optional.of(DeploymentResult.transientFailure(id, null, "the precheck could not run: " + pre.why(),
                    null));
        }
        return Optional.of(DeploymentResult.commandFailure(id, pre.exitCode(), "vars missing for " + host
                + ": run 'clan vars generate " + host + "' and commit the result (fleetward.commands.precheck-system "
                + "exited " + pre.exitCode() + (pre.firstLine().isEmpty() ? "" : ": " + pre.firstLine()) + ")"));
    }

    /**
     * After a deploy: files it left new or modified in the controller's checkout (clan writes generated vars
     * and sops files into the flake) are lost with the checkout; the log, the reason and a metric say so.
     */
    private DeploymentResult uncommitted(DeploymentRequest request, Path checkout, DeploymentResult result,
                                         DeploymentLog log) {
        List<String> changed;
        try {
            changed = source.changedFiles(request.revision(), checkout);
        } catch (SourceException e) {
            log.line("# could not compare the checkout with " + request.revision() + ": " + e.getMessage());
            return result;
        }
        if (changed.isEmpty()) {
            return result;
        }
        metrics.uncommittedGeneratedFiles(changed.size());
        String shown = String.join(", ", changed.subList(0, Math.min(3, changed.size())))
                + (changed.size() > 3 ? " and " + (changed.size() - 3) + " more" : "");
        log.line("# the deploy left " + changed.size() + " new or modified file(s) in the checkout, not committed "
                + "and lost with it: " + String.join(", ", changed));
        LOG.warnf("%s: the deploy at %s left %d uncommitted generated file(s) in the checkout: %s",
                request.target().id(), CommitId.abbreviate(request.revision()), changed.size(), shown);
        return result.withNote(changed.size() + " generated file(s) not committed (lost with the checkout): " + shown);
    }

    /**
     * The health gate after the deploy: a verified deploy runs its health checks on fresh connections,
     * then disarms the switch over a new connection; a failed check (or a machine the re-probe cannot
     * reach any more, or a switch that cannot be disarmed) rolls the target back to its previous path.
     */
    private DeploymentResult guard(long id, DeploymentRequest request, DeploymentResult deployed, boolean armed,
                                   Map<String, String> values, DeploymentLog log) throws InterruptedException {
        Target target = request.target();
        String previous = request.previousPath();
        Observation after = deployed.after();
        if (deployed.outcome() == DeploymentOutcome.FAILED && Integer.valueOf(0).equals(deployed.exitCode())
                && after != null && !after.reachable() && StorePath.isValid(previous)) {
            // The deploy may have cut the controller off (firewall, sshd, network).
            return rollBack(id, request, "the re-probe", after.unreachable(), armed, values, log, deployed.note());
        }
        if (deployed.outcome() != DeploymentOutcome.SUCCEEDED) {
            if (armed) {
                guards.disarm(target, id, values, log::line);
            }
            return deployed;
        }
        Map<String, String> checkValues = new HashMap<>(values);
        if (StorePath.isValid(previous)) {
            checkValues.put("previous", previous);
        }
        DeploymentGuards.HealthVerdict verdict = guards.health(target, checkValues, log::line);
        if (!verdict.passed()) {
            return rollBack(id, request, verdict.check(), verdict.firstLine(), armed, values, log, deployed.note());
        }
        if (armed) {
            DeploymentGuards.Ran disarm = guards.disarm(target, id, values, log::line);
            if (!disarm.succeeded()) {
                return rollBack(id, request, "disarming the dead man's switch over a new connection", disarm.why(),
                        true, values, log, deployed.note());
            }
        }
        log.line("# health gate passed");
        return deployed;
    }

    /** Rolls the target back after a failed health gate; a rollback that fails needs a person. */
    private DeploymentResult rollBack(long id, DeploymentRequest request, String check, String why, boolean armed,
                                      Map<String, String> values, DeploymentLog log, String note)
            throws InterruptedException {
        Target target = request.target();
        String previous = request.previousPath();
        String failed = check + " failed: " + why;
        log.line("# health gate failed: " + failed);
        LOG.warnf("%s at %s: health gate failed: %s; rolling back to %s", target.id(),
                CommitId.abbreviate(request.revision()), failed, StorePath.nameOf(previous));
        DeploymentGuards.RollbackResult rolled = guards.rollback(target, previous, values, log::line);
        DeploymentResult result;
        if (rolled.succeeded()) {
            if (armed) {
                guards.disarm(target, id, values, log::line);
            }
            result = DeploymentResult.rolledBack(id, "rolled back to " + StorePath.nameOf(previous) + ": " + failed,
                    rolled.after());
        } else {
            String reason = "rollback to " + StorePath.nameOf(previous) + " failed after " + failed + ": " + rolled.why()
                    + (armed ? "; the dead man's switch on " + target.host().name() + " rolls it back by itself "
                    + "once it has run the new system for the confirm timeout, if it was not disarmed" : "")
                    + "; the machine needs a person";
            LOG.errorf("%s at %s: %s", target.id(), CommitId.abbreviate(request.revision()), reason);
            result = DeploymentResult.rollbackFailed(id, reason, rolled.after());
        }
        return note == null ? result : result.withNote(note);
    }

    /** An operator's rollback: activates the path the target ran before its last deployment, then re-probes. */
    private DeploymentResult requestedRollback(long id, DeploymentRequest request, DeploymentLog log) {
        Target target = request.target();
        if (settings.dryRun()) {
            return DeploymentResult.dryRun(id);
        }
        if (guards == null) {
            return DeploymentResult.transientFailure(id, null, "this deployer has no rollback commands", null);
        }
        try {
            DeploymentGuards.RollbackResult rolled = guards.rollback(target, request.rollbackTo(),
                    values(request, flakeRef(request.revision())), log::line);
            if (rolled.succeeded()) {
                return DeploymentResult.rolledBack(id, "rolled back to " + StorePath.nameOf(request.rollbackTo())
                        + " on request", rolled.after());
            }
            String reason = "requested rollback to " + StorePath.nameOf(request.rollbackTo()) + " failed: "
                    + rolled.why() + "; the machine needs a person";
            LOG.errorf("%s: %s", target.id(), reason);
            return DeploymentResult.rollbackFailed(id, reason, rolled.after());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeploymentResult.interrupted(id, null, "fleetward stopped during the rollback");
        }
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
