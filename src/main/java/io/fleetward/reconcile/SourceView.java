package io.fleetward.reconcile;

import io.fleetward.fleet.InventoryProblem;
import java.time.Instant;
import java.util.List;

/**
 * What the loop knows about the desired-state repository, for the API.
 *
 * @param inventoryRevision the revision the current inventory was read from (the last good one)
 * @param inventoryError    why a newer inventory was refused, or null
 * @param stalled           the newest revision, refused (the loop stays on an older one), or null
 * @param verification      the source checks' decision on the newest fetched revision ({@code result}
 *                          {@code good}, {@code unsigned}, {@code untrusted}, {@code bad} or
 *                          {@code not-a-descendant}), or null before the first
 * @param deployedFrom      the last revision deployed from: every new revision must descend from it, or null
 */
public record SourceView(String url, String branch, String revision, String subject, Instant lastFetchAt,
                         String lastFetchResult, String lastFetchError, String inventoryRevision,
                         String inventoryError, List<InventoryProblem> inventoryProblems, boolean demo,
                         Stalled stalled, SourceVerification verification, DeployedFrom deployedFrom) {

    /**
     * The refused revision and why; the loop deploys from an older revision until a newer one is accepted.
     *
     * @param revision the refused revision, in full
     * @param reason   why it was refused, one line
     */
    public record Stalled(String revision, String reason) {
    }
}
