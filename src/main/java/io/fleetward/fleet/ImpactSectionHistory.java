package io.fleetward.fleet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code impact:} section of {@code fleetward.yaml} at any revision, read once per revision (a
 * commit's files never change). Thread-safe.
 */
public final class ImpactSectionHistory {
    /** Revisions asked about at once: one per deployed revision, so a few. */
    private static final int CACHED_REVISIONS = 64;

    private final InventoryLoader loader;
    private final Function<String, RevisionFiles> files;
    private final Map<String, Optional<ImpactSection>> sections = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Optional<ImpactSection>> eldest) {
                    return size() > CACHED_REVISIONS;
                }
            });

    /**
     * @param files a revision's files; may throw {@link IllegalArgumentException} for an unknown revision
     */
    public ImpactSectionHistory(InventoryLoader loader, Function<String, RevisionFiles> files) {
        this.loader = loader;
        this.files = files;
    }

    /**
     * The section at {@code revision}; empty for a refused overlay or a revision not (yet) in the
     * repository. Only the first is remembered: a later fetch may bring the revision.
     */
    public Optional<ImpactSection> at(String revision) {
        Optional<ImpactSection> known = sections.get(revision);
        if (known != null) {
            return known;
        }
        RevisionFiles revisionFiles;
        try {
            revisionFiles = files.apply(revision);
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
        Optional<ImpactSection> section = loader.impactSection(revisionFiles);
        sections.put(revision, section);
        return section;
    }
}
