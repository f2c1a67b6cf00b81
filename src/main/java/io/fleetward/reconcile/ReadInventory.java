package io.fleetward.reconcile;

import io.fleetward.evaluate.InventoryReader;
import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.source.GitSource;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Step 3: reads the inventory at the fetched revision, once per revision. A refused inventory keeps
 * the last good one, and its revision stays the desired one: nothing is deployed from a revision
 * whose fleet could not be read. Sets the inventory (forgetting targets that left it) or the
 * inventory error, and the pass's inventory. Stalls when no inventory was ever read, until a new
 * revision fixes it.
 */
final class ReadInventory implements Step {
    private static final Logger LOG = Logger.getLogger(ReadInventory.class);

    private final GitSource source;
    private final InventoryReader reader;
    private final FleetState state;
    private final SavedStatuses statuses;

    ReadInventory(GitSource source, InventoryReader reader, FleetState state, SavedStatuses statuses) {
        this.source = source;
        this.reader = reader;
        this.state = state;
        this.statuses = statuses;
    }

    @Override
    public String name() {
        return "read inventory";
    }

    @Override
    public StepResult run(Pass pass) {
        String revision = source.revision().orElseThrow();
        Inventory current = state.inventory;
        boolean known = current != null && current.revision().equals(revision) || revision.equals(state.refusedRevision);
        if (!known) {
            read(revision, current);
        }
        if (state.inventory == null) {
            return StepResult.stalled("no inventory could be read; the one at " + CommitId.abbreviate(revision)
                    + " was refused: " + state.inventoryError);
        }
        pass.inventory = state.inventory;
        return StepResult.CONTINUE;
    }

    private void read(String revision, Inventory current) {
        InventoryReader.Outcome outcome = reader.read(revision);
        if (outcome.inventory() == null) {
            state.inventoryError = outcome.error();
            state.refusedRevision = revision;
            LOG.errorf("inventory at %s refused, keeping %s: %s", CommitId.abbreviate(revision),
                    current == null ? "no inventory" : "the one from " + CommitId.abbreviate(current.revision()),
                    outcome.error());
            return;
        }
        Inventory next = outcome.inventory();
        state.inventoryError = null;
        next.problems().forEach(p -> LOG.warnf("inventory at %s: %s", CommitId.abbreviate(revision), p));
        Set<TargetId> ids = new HashSet<>();
        next.targets().forEach(t -> ids.add(t.id()));
        if (current != null) {
            for (Target target : current.targets()) {
                if (!ids.contains(target.id())) {
                    LOG.infof("%s left the inventory at %s", target.id(), CommitId.abbreviate(revision));
                    state.forget(target.id());
                    statuses.delete(target.id());
                }
            }
        }
        state.restored.keySet().retainAll(ids);
        state.inventory = next;
        LOG.infof("inventory at %s: %d hosts, %d targets", CommitId.abbreviate(revision), next.hosts().size(),
                next.targets().size());
    }
}
