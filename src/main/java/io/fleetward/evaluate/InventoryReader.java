package io.fleetward.evaluate;

import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.InventoryException;
import io.fleetward.fleet.InventoryLoader;
import io.fleetward.source.GitSource;
import io.fleetward.source.SourceException;
import io.fleetward.transport.CommandRequest;
import io.fleetward.transport.CommandResult;
import io.fleetward.transport.Transport;
import io.fleetward.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the inventory at a revision: layout and overlay straight from git, plus the output of the
 * optional inventory command, run on the controller in a clean checkout of that revision.
 */
public final class InventoryReader {
    private final GitSource source;
    private final InventoryLoader loader;
    private final Optional<String> inventoryCommand;
    private final Transport local;
    private final Path checkout;
    private final Duration timeout;

    /**
     * The inventory, or why none could be read (then {@code inventory} is null).
     *
     * @param retryable whether reading again may succeed at the same revision (the inventory command
     *                  failed or timed out), as opposed to an inventory that is wrong at this revision
     */
    public record Outcome(Inventory inventory, String error, boolean retryable) {
    }

    public InventoryReader(GitSource source, InventoryLoader loader, Optional<String> inventoryCommand,
                           Transport local, Path checkout, Duration timeout) {
        this.source = source;
        this.loader = loader;
        this.inventoryCommand = inventoryCommand;
        this.local = local;
        this.checkout = checkout;
        this.timeout = timeout;
    }

    public Outcome read(String revision) {
        Optional<String> json = Optional.empty();
        if (inventoryCommand.isPresent()) {
            try {
                json = Optional.of(runInventoryCommand(revision));
            } catch (SourceException | TransportException e) {
                return new Outcome(null, "inventory command: " + e.getMessage(), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(null, "inventory command interrupted", true);
            }
        }
        try {
            return new Outcome(loader.load(source.files(revision), json), null, false);
        } catch (InventoryException e) {
            return new Outcome(null, e.problem().toString(), false);
        }
    }

    private String runInventoryCommand(String revision)
            throws SourceException, TransportException, InterruptedException {
        source.export(revision, checkout);
        // The command line is the administrator's own config; it has no placeholders to fill.
        CommandResult result = local.run(new CommandRequest("controller", null, null, inventoryCommand.get(), checkout,
                Map.of("FLEETWARD_REV", revision), timeout, null));
        if (result.timedOut()) {
            throw new TransportException("timed out after " + timeout.toSeconds() + "s");
        }
        if (result.exitCode() != 0) {
            throw new TransportException("exited " + result.exitCode() + ": " + result.firstErrorLine());
        }
        return result.stdout();
    }
}
