package io.fleetward.webhook;

import io.fleetward.fleet.CommitId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a push webhook says happened, as far as fleetward cares: which repository (every name and
 * URL the payload gives for it), which ref moved, and to which commit. Only a nudge: the desired
 * state is always read from the fetched repository, never from this.
 *
 * <p>A forge's push always names all three; a generic request may name none of them ("fetch now"),
 * and then only what it names is checked.
 *
 * @param repositories the repository's {@code owner/name} and clone URLs, as sent; empty when not said
 * @param ref          the full ref name, e.g. {@code refs/heads/main}, when said
 * @param after        the commit the ref points to now (40 or 64 hex digits, any case; kept lower-case), when
 *                     said; all zeros when the ref was deleted
 */
public record PushEvent(List<String> repositories, Optional<String> ref, Optional<String> after) {

    public PushEvent {
        repositories = List.copyOf(repositories);
        Objects.requireNonNull(ref, "ref");
        after = after.map(id -> CommitId.parse(id).map(CommitId::hex)
                .orElseThrow(() -> new IllegalArgumentException("after is not a commit id")));
    }

    /** A push that names its repository, ref and commit, as every forge sends. */
    public PushEvent(List<String> repositories, String ref, String after) {
        this(repositories, Optional.of(ref), Optional.of(after));
    }

    /** Whether the push deleted the ref. */
    public boolean deletion() {
        return after.map(id -> id.chars().allMatch(c -> c == '0')).orElse(false);
    }
}
