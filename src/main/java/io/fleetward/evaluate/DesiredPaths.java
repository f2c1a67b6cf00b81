package io.fleetward.evaluate;

import io.fleetward.fleet.StorePath;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetKind;
import io.fleetward.observe.Prober;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceException;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.CommandTemplate;
import io.fleetward.transport.Transport;
import io.fleetward.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Exact mode: when an evaluate command is configured, the desired path of a target (e.g.
 * {@code nix eval --raw {flake}#nixosConfigurations.{host}.config.system.build.toplevel.outPath})
 * is evaluated on the controller in a checkout of the revision. One call is one evaluation, with
 * its own time limit; thread-safe (the loop runs several at once, off the pass thread, and keeps
 * the results).
 */
public final class DesiredPaths {
    private static final Logger LOG = Logger.getLogger(DesiredPaths.class);

    private final Optional<CommandTemplate> evaluateSystem;
    private final Optional<CommandTemplate> evaluateHome;
    private final Transport local;
    private final RevisionCheckouts checkouts;
    private final Duration timeout;

    public DesiredPaths(Optional<CommandTemplate> evaluateSystem, Optional<CommandTemplate> evaluateHome,
                        GitSource source, Transport local, Path checkouts, Duration timeout) {
        this.evaluateSystem = evaluateSystem;
        this.evaluateHome = evaluateHome;
        this.local = local;
        this.checkouts = new RevisionCheckouts(source, checkouts);
        this.timeout = timeout;
    }

    /** Whether exact mode is on for targets of this kind (its evaluate command is set). */
    public boolean evaluates(TargetKind kind) {
        return template(kind).isPresent();
    }

    /**
     * Evaluates the desired path of {@code target} at {@code revision}. Blocks for as long as the
     * command runs (at most the timeout); never throws for a failed evaluation.
     *
     * @throws IllegalStateException when exact mode is off for the target's kind
     */
    public Evaluation evaluate(Target target, String revision) throws InterruptedException {
        CommandTemplate template = template(target.kind())
                .orElseThrow(() -> new IllegalStateException("exact mode is off for " + target.id()));
        Path checkout;
        try {
            checkout = checkouts.acquire(revision);
        } catch (SourceException e) {
            return failed(target, template, "checkout failed: " + e.getMessage());
        }
        try {
            Map<String, String> values = new HashMap<>(Prober.values(target));
            values.put("rev", revision);
            values.put("flake", checkout.toString());
            CommandResult result = local.run(new CommandRequest(target.host().name(), target.user(), null,
                    template.render(values), checkout, Map.of("FLEETWARD_REV", revision), timeout, null));
            String out = result.stdout().strip();
            if (result.timedOut()) {
                return failed(target, template, "timed out after " + timeout.toSeconds() + "s");
            }
            if (!result.succeeded()) {
                return failed(target, template, "exited " + result.exitCode() + ": " + result.firstErrorLine());
            }
            if (!StorePath.isValid(out)) {
                return failed(target, template, "printed no store path");
            }
            return Evaluation.of(out);
        } catch (TransportException e) {
            return failed(target, template, e.getMessage());
        } finally {
            checkouts.release(revision);
        }
    }

    private Optional<CommandTemplate> template(TargetKind kind) {
        return kind == TargetKind.SYSTEM ? evaluateSystem : evaluateHome;
    }

    private static Evaluation failed(Target target, CommandTemplate template, String why) {
        LOG.warnf("%s: %s failed: %s", target.id(), template.key(), why);
        return Evaluation.failed(why);
    }
}
