package io.fleetward.webhook;

import io.fleetward.fleet.CommitId;
import java.util.List;

/**
 * What a push webhook says happened, as far as fleetward cares: which repository (every name and
 * URL the payload gives for it), which ref moved, and to which commit. Only a nudge: the desired
 * state is always read from the fetched repository, never from this.
 *
 * @param repositories the repository's {@code owner/name} and clone URLs, as sent
 * @param ref          the full ref name, e.g. {@code refs/heads/main}
 * @param after        the commit the ref points to now (40 or 64 hex digits, any case; kept lower-case); all
 *                     zeros when the ref was deleted
 */
public record PushEvent(List<String> repositories, String ref, String after) {

    public PushEvent {
        repositories = List.copyOf(repositories);
        after = CommitId.parse(after).map(CommitId::hex)
                .orElseThrow(() -> new IllegalArgumentException("after is not a commit id"));
    }

    /** Whether the push deleted the ref. */
    public boolean deletion() {
        return after.chars().allMatch(c -> c == '0');
    }
}
