package io.fleetward.reconcile;

import io.fleetward.drift.Drift;
import io.fleetward.fleet.Inventory;
import io.fleetward.fleet.TargetId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One reconcile pass as its steps see it: why it runs, and what earlier steps found. Lives on the
 * pass thread for the length of one pass.
 */
final class Pass {
    /** What asked for the pass: "timer", "webhook github", "sync system:web1", ... (sorted, comma-joined). */
    final String trigger;
    /** Whether the source is fetched first (timer, webhook, refresh, start-up). */
    final boolean fetch;
    final Instant startedAt;
    /**
     * The revision the pass reads its inventory at: the fetched one if it passed the source checks,
     * else the last revision deployed from; set by {@link VerifySource}.
     */
    String admitted;
    /** The inventory the pass works on; set by {@link ReadInventory}. */
    Inventory inventory;
    /**
     * Drift by the path rules alone, for the targets {@link EvaluateDesired} had to ask about: resolve
     * drift takes these as they are where no evaluated path is known, instead of asking again.
     */
    final Map<TargetId, Drift> driftByRules = new HashMap<>();
    /** Targets probed during this pass (never observed before, or re-probed before deploying): not probed again. */
    final Set<TargetId> probedNow = new HashSet<>();
    /** Operators' requests applied in this pass: answered once the pass published its effect. */
    final List<CompletableFuture<Void>> answers = new ArrayList<>();

    Pass(String trigger, boolean fetch, Instant startedAt) {
        this.trigger = trigger;
        this.fetch = fetch;
        this.startedAt = startedAt;
    }

    /** The revision the pass deploys: its inventory's. */
    String desiredRevision() {
        return inventory.revision();
    }
}
