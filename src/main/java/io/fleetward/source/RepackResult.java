package io.fleetward.source;

import java.time.Duration;

/**
 * One repack of the clone.
 *
 * @param packsBefore packs before it
 * @param packsAfter  packs after it: one for what branches reach, one more for what only keep refs reach
 * @param kept        revisions kept by a {@code refs/fleetward/keep/} ref
 * @param took        how long it took
 */
public record RepackResult(int packsBefore, int packsAfter, int kept, Duration took) {
}
