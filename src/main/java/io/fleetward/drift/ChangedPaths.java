package io.fleetward.drift;

import java.util.Optional;
import java.util.Set;

/** The repository paths that differ between two revisions (implemented by the source, cached per pair). */
@FunctionalInterface
public interface ChangedPaths {
    /** Changed paths from {@code from} to {@code to}; empty when either revision is not in the repository. */
    Optional<Set<String>> between(String from, String to);
}
