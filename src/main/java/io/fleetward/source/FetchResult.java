package io.fleetward.source;

import java.time.Duration;

/**
 * The outcome of one fetch of the tracked branch.
 *
 * @param revision the tip after the fetch (full commit id)
 * @param previousRevision the tip before the fetch, or {@code null} on the first clone
 * @param changed whether the tip moved (always true on the first clone)
 * @param forced whether the new tip does not descend from the previous one (a force-push was followed)
 * @param took wall-clock time of the fetch
 */
public record FetchResult(String revision, String previousRevision, boolean changed, boolean forced, Duration took) {
}
