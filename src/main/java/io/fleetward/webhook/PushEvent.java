package io.fleetward.webhook;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a push webhook says happened, as far as fleetward cares: which repository (every name and
 * URL the payload gives for it), which ref moved, and to which commit. Only a nudge: the desired
 * state is always read from the fetched repository, never from this.
 *
 * @param repositories the repository's {@code owner/name} and clone URLs, as sent
 * @param ref          the full ref name, e.g. {@code refs/heads/main}
 * @param after        the commit the ref points to now, lower-case hex; all zeros when the ref was deleted
 */
public record PushEvent(List<String> repositories, String ref, String after) {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    public PushEvent {
        repositories = List.copyOf(repositories);
        if (!COMMIT.matcher(after).matches()) {
            throw new IllegalArgumentException("after is not a commit id");
        }
    }

    /** Whether the push deleted the ref. */
    public boolean deletion() {
        return after.chars().allMatch(c -> c == '0');
    }
}
