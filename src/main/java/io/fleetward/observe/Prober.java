package io.fleetward.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetward.fleet.Platform;
import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetKind;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
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

    /** Probes one target; never throws for a machine problem (that is an unreachable observation). */
    public Observation probe(Target target) throws InterruptedException {
        try {
            Transport transport = transports.named(target.host().transport());
            return target.kind() == TargetKind.SYSTEM ? probeSystem(transport, target) : probeHome(transport, target);
        } catch (TransportException e) {
            LOG.debugf("probe of %s: unreachable: %s", target.id(), e.getMessage());
            return Observation.unreachable(target.id(), clock.instant(), e.getMessage());
        } catch (ProbeTimeout e) {
            return Observation.unreachable(target.id(), clock.instant(), e.getMessage());
        }
    }

    private Observation probeSystem(Transport transport, Target target)
            throws TransportException, InterruptedException, ProbeTimeout {
        String current = path(run(transport, target, commands.system()));
        String booted = target.platform() == Platform.NIXOS ? path(run(transport, target, commands.booted())) : null;
        String revision = current == null ? null
                : configurationRevision(target, run(transport, target, commands.revision(target.platform())));
        return new Observation(target.id(), clock.instant(), current, booted, revision, null);
    }

    private Observation probeHome(Transport transport, Target target)
            throws TransportException, InterruptedException, ProbeTimeout {
        String current = path(run(transport, target, commands.home()));
        return new Observation(target.id(), clock.instant(), current, null, null, null);
    }

    private CommandResult run(Transport transport, Target target, CommandTemplate template)
            throws TransportException, InterruptedException, ProbeTimeout {
        String line = template.render(values(target));
        CommandRequest request = new CommandRequest(target.host().name(), target.user(),
                target.host().destination(target.user()), line, null, Map.of(), timeout, null)
                .withSsh(target.host().ssh().identity(), target.host().ssh().knownHosts());
        CommandResult result = transport.run(request);
        if (result.timedOut()) {
            throw new ProbeTimeout(template.key() + " timed out after " + timeout.toSeconds() + "s");
        }
        return result;
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

    private static final class ProbeTimeout extends Exception {
        ProbeTimeout(String message) {
            super(message, null, false, false);
        }
    }
}
