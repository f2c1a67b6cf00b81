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
 * {@code nix eval --raw .#nixosConfigurations.{host}.config.system.build.toplevel.outPath}) is
 * evaluated in a checkout of the desired revision and compared with the observed path. Results are
 * cached per (revision, target); a failed evaluation falls back to revision-based drift. Called
 * from the pass thread only.
 */
public final class DesiredPaths {
    private static final Logger LOG = Logger.getLogger(DesiredPaths.class);

    private final Optional<CommandTemplate> evaluateSystem;
    private final Optional<CommandTemplate> evaluateHome;
    private final GitSource source;
    private final Transport local;
    private final Path checkout;
    private final Duration timeout;
    private final Map<String, Optional<String>> cache = new HashMap<>();
    private String exportedRevision;

    public DesiredPaths(Optional<CommandTemplate> evaluateSystem, Optional<CommandTemplate> evaluateHome,
                        GitSource source, Transport local, Path checkout, Duration timeout) {
        this.evaluateSystem = evaluateSystem;
        this.evaluateHome = evaluateHome;
        this.source = source;
        this.local = local;
        this.checkout = checkout;
        this.timeout = timeout;
    }

    /** The evaluated desired path, or empty when exact mode is off for this kind or evaluation failed. */
    public Optional<String> desiredPath(Target target, String revision) {
        Optional<CommandTemplate> template = target.kind() == TargetKind.SYSTEM ? evaluateSystem : evaluateHome;
        if (template.isEmpty()) {
            return Optional.empty();
        }
        if (cache.size() > 100_000) {
            cache.clear();
        }
        return cache.computeIfAbsent(revision + " " + target.id(), k -> evaluate(template.get(), target, revision));
    }

    private Optional<String> evaluate(CommandTemplate template, Target target, String revision) {
        try {
            if (!revision.equals(exportedRevision)) {
                source.export(revision, checkout);
                exportedRevision = revision;
            }
            Map<String, String> values = new HashMap<>(Prober.values(target));
            values.put("rev", revision);
            values.put("flake", checkout.toString());
            CommandResult result = local.run(new CommandRequest(target.host().name(), target.user(), null,
                    template.render(values), checkout, Map.of("FLEETWARD_REV", revision), timeout, null));
            String out = result.stdout().strip();
            if (result.succeeded() && StorePath.isValid(out)) {
                return Optional.of(out);
            }
            LOG.warnf("%s: %s failed (exit %d): %s; using revision-based drift", target.id(), template.key(),
                    result.exitCode(), result.firstErrorLine());
        } catch (SourceException | TransportException e) {
            LOG.warnf("%s: %s failed: %s; using revision-based drift", target.id(), template.key(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }
}
