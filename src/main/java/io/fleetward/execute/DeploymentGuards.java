package io.fleetward.execute;

import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetKind;
import io.fleetward.observe.Observation;
import io.fleetward.observe.Prober;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.Transport;
import io.fleetward.transport.TransportException;
import io.fleetward.transport.Transports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What guards one deployment besides the deploy command: the precheck before it, the dead man's
 * switch on the host around it, the health checks after it, and the rollback to the path the target
 * ran before. Every command renders its values as quoted words; {@code {previous}} is used only when
 * it is a valid store path. Every remote call has a timeout; nothing here throws for a machine problem.
 */
final class DeploymentGuards {
    private final SafetyCommands commands;
    private final SafetySettings settings;
    private final Transports transports;
    private final Prober prober;
    private final DeployMetrics metrics;
    private final Duration deployTimeout;

    DeploymentGuards(SafetyCommands commands, SafetySettings settings, Transports transports, Prober prober,
                     DeployMetrics metrics, Duration deployTimeout) {
        this.commands = Objects.requireNonNull(commands, "commands");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transports = transports;
        this.prober = prober;
        this.metrics = metrics;
        this.deployTimeout = deployTimeout;
    }

    /** How a command on the host ended: its exit status (or null when it could not run) and its first output line. */
    record Ran(Integer exitCode, boolean timedOut, String firstLine) {
        boolean succeeded() {
            return exitCode != null && exitCode == 0 && !timedOut;
        }

        /** One line for a reason: the output's first line, else what went wrong. */
        String why() {
            if (timedOut) {
                return "timed out";
            }
            return firstLine.isEmpty() ? "exited " + exitCode : firstLine;
        }
    }

    /** The result of the health gate: passed, or the first check that failed and why. */
    record HealthVerdict(boolean passed, String check, String firstLine) {
        static final HealthVerdict PASSED = new HealthVerdict(true, null, null);

        String describe() {
            return check + " failed: " + firstLine;
        }
    }

    /** How a rollback ended: the machine's state after it, and whether it runs {@code previous} again. */
    record RollbackResult(boolean succeeded, Observation after, String why) {
    }

    /**
     * Runs the precheck ({@code clan vars check <host>}) where the deploy command will run, in its
     * working directory, before anything reaches the host.
     */
    Ran precheck(Transport transport, CommandRequest deployCommand, Map<String, String> values, Consumer<String> log)
            throws InterruptedException {
        String line = commands.precheckSystem().render(values);
        log.accept("$ " + line);
        return run(transport, new CommandRequest(deployCommand.host(), null, deployCommand.destination(), line,
                deployCommand.workingDirectory(), deployCommand.environment(), deployTimeout, null), log);
    }

    /** Whether the dead man's switch guards this deployment: a system deploy over SSH with a path to go back to. */
    boolean switchGuards(Target target, String previous) {
        return target.kind() == TargetKind.SYSTEM && "ssh".equals(target.host().transport())
                && StorePath.isValid(previous);
    }

    /** Arms the dead man's switch on the host (returns at once; the switch runs detached there). */
    Ran arm(Target target, long deployment, String previous, Map<String, String> values, Consumer<String> log)
            throws InterruptedException {
        Map<String, String> armValues = new HashMap<>(values);
        armValues.put("previous", previous);
        armValues.put("deployment", Long.toString(deployment));
        armValues.put("seconds", Long.toString(Math.max(1, settings.confirmTimeout().toSeconds())));
        // The switch waits at most the deploy timeout (and the health gate) for the system to change.
        armValues.put("window", Long.toString(deployTimeout.plus(settings.healthTimeout()).toSeconds()));
        armValues.put("rollback", commands.rollback(target).render(armValues));
        String line = commands.armRollback().render(armValues);
        log.accept("# arming the dead man's switch: rollback to " + StorePath.nameOf(previous) + " "
                + settings.confirmTimeout().toSeconds() + " s after the system changes, unless disarmed");
        return onHost(target, line, settings.healthTimeout(), false, log);
    }

    /** Disarms the switch over a new connection: proves the controller can still reach the host. */
    Ran disarm(Target target, long deployment, Map<String, String> values, Consumer<String> log)
            throws InterruptedException {
        Map<String, String> disarmValues = new HashMap<>(values);
        disarmValues.put("deployment", Long.toString(deployment));
        log.accept("# disarming the dead man's switch over a new connection");
        return onHost(target, commands.disarmRollback().render(disarmValues), settings.healthTimeout(), true, log);
    }

    /**
     * The health gate: the kind's check (default {@code true} over a fresh connection), then the host's
     * own {@code health:} commands (system targets), all within the health timeout, on fresh connections.
     */
    HealthVerdict health(Target target, Map<String, String> values, Consumer<String> log) throws InterruptedException {
        List<CommandTemplate> checks = new ArrayList<>();
        checks.add(commands.health(target.kind()));
        if (target.kind() == TargetKind.SYSTEM) {
            List<String> own = target.host().health();
            for (int i = 0; i < own.size(); i++) {
                checks.add(CommandTemplate.of("health[" + i + "] of " + target.host().name(), own.get(i)));
            }
        }
        long deadline = System.nanoTime() + settings.healthTimeout().toNanos();
        for (CommandTemplate check : checks) {
            String name = "`" + shorten(check.toString()) + "`";
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                metrics.healthCheck(target.kind(), "failed");
                return new HealthVerdict(false, name, "health timeout of " + settings.healthTimeout().toSeconds()
                        + " s reached before it ran");
            }
            String line = check.render(values);
            log.accept("# health check: $ " + line);
            Ran ran = onHost(target, line, left, true, log);
            metrics.healthCheck(target.kind(), ran.succeeded() ? "passed" : "failed");
            if (!ran.succeeded()) {
                return new HealthVerdict(false, name, ran.timedOut() ? "timed out (health timeout of "
                        + settings.healthTimeout().toSeconds() + " s)" : ran.why());
            }
        }
        return HealthVerdict.PASSED;
    }

    /** Runs the rollback to {@code previous} on the host, then re-probes: it succeeded when the machine runs it again. */
    RollbackResult rollback(Target target, String previous, Map<String, String> values, Consumer<String> log)
            throws InterruptedException {
        if (!StorePath.isValid(previous)) {
            metrics.rollback(target.kind(), "failed");
            return new RollbackResult(false, null, "no path to roll back to (the target ran nothing before)");
        }
        Map<String, String> rollbackValues = new HashMap<>(values);
        rollbackValues.put("previous", previous);
        String line = commands.rollback(target).render(rollbackValues);
        log.accept("# rolling back to " + StorePath.nameOf(previous) + ": $ " + line);
        Ran ran = onHost(target, line, deployTimeout, false, log);
        Observation after = prober.probe(target);
        boolean back = after.reachable() && previous.equals(after.currentPath());
        metrics.rollback(target.kind(), back ? "succeeded" : "failed");
        if (back) {
            return new RollbackResult(true, after, null);
        }
        String why = !ran.succeeded() ? "the rollback command " + ran.why()
                : !after.reachable() ? "the re-probe failed: " + after.unreachable()
                : "the machine reports " + StorePath.nameOf(after.currentPath()) + " after it";
        return new RollbackResult(false, after, why);
    }

    /** Runs {@code line} on the target's machine (as the user for a home target), never throwing for the machine. */
    private Ran onHost(Target target, String line, Duration timeout, boolean fresh, Consumer<String> log)
            throws InterruptedException {
        Transport transport;
        try {
            transport = transports.named(target.host().transport());
        } catch (TransportException e) {
            return new Ran(null, false, e.getMessage());
        }
        CommandRequest request = new CommandRequest(target.host().name(), target.user(),
                target.host().destination(target.user()), line, null, Map.of(), timeout, null)
                .withSsh(target.host().ssh().identity(), target.host().ssh().knownHosts());
        return run(transport, fresh ? request.withFreshConnection() : request, log);
    }

    /** Runs a command with its output going to the deployment log; remembers the first non-blank line. */
    private static Ran run(Transport transport, CommandRequest request, Consumer<String> log)
            throws InterruptedException {
        AtomicReference<String> first = new AtomicReference<>("");
        Consumer<String> sink = out -> {
            if (first.get().isEmpty() && !out.isBlank()) {
                first.set(shorten(oneLine(out.strip())));
            }
            log.accept(out);
        };
        CommandRequest logged = new CommandRequest(request.host(), request.user(), request.destination(),
                request.commandLine(), request.workingDirectory(), request.environment(), request.timeout(), sink,
                request.stdin(), request.identity(), request.knownHosts(), null, request.freshConnection());
        try {
            CommandResult result = transport.run(logged);
            String firstLine = first.get();
            if (firstLine.isEmpty()) {
                // A transport that captured the output instead of streaming it.
                firstLine = (result.stdout() + "\n" + result.stderr()).lines().filter(l -> !l.isBlank()).findFirst()
                        .map(l -> shorten(oneLine(l.strip()))).orElse("");
            }
            return new Ran(result.timedOut() ? null : result.exitCode(), result.timedOut(), firstLine);
        } catch (TransportException e) {
            log.accept("# " + e.getMessage());
            return new Ran(null, false, e.getMessage());
        }
    }

    /** Text for a reason: at most 160 characters. */
    static String shorten(String text) {
        return text.length() <= 160 ? text : text.substring(0, 157) + "...";
    }

    /** Output text without control characters, for a reason. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }
}
