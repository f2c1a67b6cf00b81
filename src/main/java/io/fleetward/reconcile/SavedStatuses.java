package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.util.Collection;
import java.util.List;

/** The last known status of each target, kept across restarts so a restart starts from it. */
public interface SavedStatuses {

    /** Every saved status, ordered by target id. */
    List<TargetState> loadAll();

    /** Saves every status in one go: all are saved or none. */
    void saveAll(Collection<TargetState> states);

    /** Forgets {@code target} (it left the inventory); nothing happens if it was not saved. */
    void delete(TargetId target);
}
