package io.fleetward.reconcile;

import io.fleetward.evaluate.InventoryReader;
import io.fleetward.fleet.CommitId;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.Target;
import io.fleetward.fleet.TargetId;
import io.fleetward.source.GitSource;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Step 4: reads the inventory at the revision {@link VerifySource} admitted (the fetched one, or the
 * last one deployed from when the fetched one was refused), once per revision. A refused inventory keeps
 * the last good one, and its revision stays the desired one: nothing is deployed from a revision
 * whose fleet could not be read. Sets the inventory (forgetting targets that left it) and the
 * pass's inventory; a refusal sets the {@link Stall} (logged once, here), which is cleared once the
 * inventory is at the fetched revision again. An inventory command that failed or timed out is a
 * transient failure: the revision is read again by the first pass {@link #RETRY} later. Stalls the
 * pass when no inventory was ever read, until a new revision fixes it.
 */
final class ReadInventory implements Step {
    private static final Logger LOG = Logger.getLogger(ReadInventory.class);
    /** An inventory command that failed or timed out is run again at the same revision after this. */
    static final Duration RETRY = Duration.ofSeconds(30);

    private final GitSource source;
    private final InventoryReader reader;
    private final FleetState state;
    private final SavedStatuses statuses;
    private final Clock clock;

    ReadInventory(GitSource source, InventoryReader reader, FleetState state, SavedStatuses statuses, Clock clock) {
        this.source = source;
        this.reader = reader;
        this.state = state;
        this.statuses = statuses;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "read inventory";
    }

    @Override
    public StepResult run(Pass pass) {
        String revision = pass.admitted;
        Inventory current = state.inventory;
        boolean known = current != null && current.revision().equals(revision)
                || state.stall != null && state.stall.refused(revision, Refusal.INVENTORY, clock.instant());
        if (!known) {
            read(revision, current);
        }
        if (state.inventory != null && state.inventory.revision().equals(revision)) {
            state.stall = null; // also after a force-push back to the revision deployed from
        }
        if (state.inventory == null) {
            // The refusal itself was logged with its revision and reason: this only says why nothing runs.
            return StepResult.stalled("no inventory could be read yet");
        }
        pass.inventory = state.inventory;
        return StepResult.CONTINUE;
    }

    private void read(String revision, Inventory current) {
        InventoryReader.Outcome outcome = reader.read(revision);
        if (outcome.inventory() == null) {
            Stall previous = state.stall;
            state.stall = new Stall(revision, Refusal.INVENTORY, outcome.error(),
                    outcome.retryable() ? clock.instant().plus(RETRY) : null);
            if (!state.stall.sameRefusal(previous)) {
                LOG.warnf("inventory at %s refused, keeping %s: %s%s", CommitId.abbreviate(revision),
                        current == null ? "no inventory" : "the one from " + CommitId.abbreviate(current.revision()),
                        outcome.error(), outcome.retryable() ? "; reading it again every " + RETRY.toSeconds() + "s"
                                : "");
            }
            return;
        }
        Inventory next = outcome.inventory();
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
