package io.fleetward.source;

import java.time.Instant;

/**
 * What is shown about a revision.
 *
 * @param revision full commit id
 * @param shortRevision unique abbreviation (at least 7 characters)
 * @param subject first line of the commit message
 * @param author author name (no e-mail address)
 * @param time committer time: when the commit took its place on the branch
 */
public record CommitInfo(String revision, String shortRevision, String subject, String author, Instant time) {
}
