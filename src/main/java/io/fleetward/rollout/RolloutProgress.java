package io.fleetward.rollout;

import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * How far the rollout of one revision got: immutable, replaced as it moves on.
 *
 * @param revision the revision being rolled out
 * @param doneAt   for each wave index i: when waves 0..i were first seen done (the soak runs from there)
 * @param deployed wave indexes in which a deployment of the revision started (only those soak)
 * @param halted   why the rollout stopped ({@code system:stibnite failed (...)}), or null while it runs
 * @param accepted targets whose failure an operator accepted by resuming: they no longer hold a wave
 */
public record RolloutProgress(String revision, Map<Integer, Instant> doneAt, Set<Integer> deployed, String halted,
                              Set<TargetId> accepted) {
    public RolloutProgress {
        Objects.requireNonNull(revision, "revision");
        doneAt = Collections.unmodifiableMap(new TreeMap<>(doneAt));
        deployed = Set.copyOf(deployed);
        accepted = Set.copyOf(accepted);
    }

    /** A new rollout of {@code revision}: from the first wave, nothing done, not halted. */
    public static RolloutProgress start(String revision) {
        return new RolloutProgress(revision, Map.of(), Set.of(), null, Set.of());
    }

    /** This rollout when it is about {@code revision}, else a new one: a new revision starts at wave 1. */
    public RolloutProgress at(String revision) {
        return this.revision.equals(revision) ? this : start(revision);
    }

    public boolean isHalted() {
        return halted != null;
    }

    /** A deployment of the revision started in wave {@code index}. */
    public RolloutProgress deployedIn(int index) {
        if (deployed.contains(index)) {
            return this;
        }
        Set<Integer> next = new HashSet<>(deployed);
        next.add(index);
        return new RolloutProgress(revision, doneAt, next, halted, accepted);
    }

    RolloutProgress withDoneAt(Map<Integer, Instant> next) {
        return next.equals(doneAt) ? this : new RolloutProgress(revision, next, deployed, halted, accepted);
    }

    /** Stops the rollout: no wave starts until {@link #resumed}. */
    public RolloutProgress haltedBy(String why) {
        return new RolloutProgress(revision, doneAt, deployed, Objects.requireNonNull(why, "why"), accepted);
    }

    /**
     * Continues a halted rollout of the same revision: the targets that failed so far are accepted
     * (they no longer hold their wave; a new failure halts again).
     */
    public RolloutProgress resumed(Collection<TargetId> failed) {
        Set<TargetId> next = new HashSet<>(accepted);
        next.addAll(failed);
        return new RolloutProgress(revision, doneAt, deployed, null, next);
    }
}
