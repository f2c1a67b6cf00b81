package io.fleetward.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetKind;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.Transport;
import io.fleetward.transport.TransportException;
import io.fleetward.transport.Transports;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Asks a machine what it runs now. A system target reports its current system path, its booted
 * path (NixOS) and configurationRevision if the configuration sets one; a home target reports its
 * current home-manager generation. A probe that cannot reach the machine yields an unreachable
 * observation; a command that runs but finds nothing (no generation yet) yields a null path.
 */
public final class Prober {
    private static final Logger LOG = Logger.getLogger(Prober.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transports transports;
    private final ProbeCommands commands;
    private final Duration timeout;
    private final Clock clock;

    public Prober(Transports transports, ProbeCommands commands, Duration timeout, Clock clock) {
        this.transports = transports;
        this.commands = commands;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Probes one target with one command (one SSH channel, one local process): a target is one login
     * on its host, so the system target's probes (current, booted, revision) run together as the
     * target-host user, and a standalone home user's probe runs as that user, over that user's own
     * SSH login. Never throws for a machine problem (that is an unreachable observation).
     */
    public Observation probe(Target target) throws InterruptedException {
        return probeLogin(target);
    }

    /** The probes of one target (one login on its host) as one combined command. */
    private Observation probeLogin(Target target) throws InterruptedException {
        try {
            Transport transport = transports.named(target.host().transport());
            Map<String, String> values = values(target);
            ProbeScript script = ProbeScript.create();
            boolean system = target.kind() == TargetKind.SYSTEM;
            boolean nixos = target.platform() == Platform.NIXOS;
            if (system) {
                script.add("current", commands.system().render(values));
                if (nixos) {
                    script.add("booted", commands.booted().render(values));
                }
                script.add("revision", commands.revision(target.platform()).render(values));
            } else {
                script.add("home", commands.home().render(values));
            }
            CommandResult combined = run(transport, target, script.commandLine());
            Map<String, CommandResult> parts = script.split(combined);
            if (combined.timedOut() && parts.values().stream().anyMatch(r -> r.timedOut())) {
                return Observation.unreachable(target.id(), clock.instant(),
                        "probe timed out after " + timeout.toSeconds() + "s");
            }
            if (!system) {
                return new Observation(target.id(), clock.instant(), path(parts.get("home")), null, null, null);
            }
            String current = path(parts.get("current"));
            String booted = nixos ? path(parts.get("booted")) : null;
            String revision = current == null ? null : configurationRevision(target, parts.get("revision"));
            return new Observation(target.id(), clock.instant(), current, booted, revision, null);
        } catch (TransportException e) {
            LOG.debugf("probe of %s: unreachable: %s", target.id(), e.getMessage());
            return Observation.unreachable(target.id(), clock.instant(), e.getMessage());
        }
    }

    private CommandResult run(Transport transport, Target target, String line)
            throws TransportException, InterruptedException {
        CommandRequest request = new CommandRequest(target.host().name(), target.user(),
                target.host().destination(target.user()), line, null, Map.of(), timeout, null)
                .withSsh(target.host().ssh().identity(), target.host().ssh().knownHosts());
        return transport.run(request);
    }

    /** The placeholder values a probe may use. */
    public static Map<String, String> values(Target target) {
        Map<String, String> values = new java.util.HashMap<>();
        values.put("host", target.host().name());
        values.put("platform", target.platform().label());
        if (target.user() != null) {
            values.put("user", target.user());
        }
        if (target.configuration() != null) {
            values.put("configuration", target.configuration());
        }
        return values;
    }

    /** The path a readlink-like probe printed, or null when it found none. */
    static String path(CommandResult result) {
        if (!result.succeeded()) {
            return null;
        }
        String text = result.stdout().strip();
        return StorePath.isValid(text) ? text : null;
    }

    /** The configurationRevision of {@code nixos-version --json} / {@code darwin-version --json}, if set. */
    static String configurationRevision(Target target, CommandResult result) {
        if (!result.succeeded()) {
            LOG.debugf("probe of %s: revision command exited %d", target.id(), result.exitCode());
            return null;
        }
        try {
            JsonNode revision = JSON.readTree(result.stdout()).get("configurationRevision");
            return revision != null && revision.isTextual() && !revision.asText().isBlank() ? revision.asText() : null;
        } catch (IOException e) {
            LOG.debugf("probe of %s: revision output is not JSON", target.id());
            return null;
        }
    }
}
