package io.fleetward.drift;

import io.fleetward.fleet.ImpactSection;
import java.util.Optional;

/** The repository's own impact rules at a revision (implemented from the overlay, cached per revision). */
@FunctionalInterface
public interface RevisionImpact {
    /** The {@code impact:} section of {@code revision}; empty when it cannot be read (unknown revision, refused overlay). */
    Optional<ImpactSection> at(String revision);

    /** No repository rules anywhere. */
    RevisionImpact NONE = revision -> Optional.of(ImpactSection.NONE);
}
