package io.fleetward.reconcile;

import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.Optional;

/**
 * Exact mode: the desired paths evaluated so far, per (revision, target), kept across restarts so
 * that a revision is evaluated once per target. Only successful evaluations are kept.
 */
public interface SavedEvaluations {
    /** Keeps nothing (exact mode off, or a test that does not restart). */
    SavedEvaluations NONE = new SavedEvaluations() {
        @Override
        public Optional<String> find(String revision, TargetId target) {
            return Optional.empty();
        }

        @Override
        public void save(String revision, TargetId target, String path, Instant at) {
        }
    };

    /** The path evaluated for {@code target} at {@code revision}, if it ever was. */
    Optional<String> find(String revision, TargetId target);

    /** Keeps the path evaluated for {@code target} at {@code revision}; saving it again changes nothing. */
    void save(String revision, TargetId target, String path, Instant at);
}
