package io.fleetward.reconcile;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Where the loop keeps the last revision it deployed from (the store), so a restart cannot be rolled back. */
public interface SavedDeployedFrom {
    /** The newest one saved, or empty before the first. */
    Optional<DeployedFrom> load();

    /** Saves {@code revision} as the newest. */
    void save(DeployedFrom revision);

    /** Kept in memory only: for tests and benchmarks that need no store. */
    static SavedDeployedFrom inMemory() {
        AtomicReference<DeployedFrom> saved = new AtomicReference<>();
        return new SavedDeployedFrom() {
            @Override
            public Optional<DeployedFrom> load() {
                return Optional.ofNullable(saved.get());
            }

            @Override
            public void save(DeployedFrom revision) {
                saved.set(revision);
            }
        };
    }
}
