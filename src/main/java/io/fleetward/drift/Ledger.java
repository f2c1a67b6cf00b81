package io.fleetward.drift;

import io.fleetward.fleet.TargetId;
import java.util.Optional;

/** What fleetward deployed: (target, revision) -> the path the machine reported right after. */
@FunctionalInterface
public interface Ledger {
    /** The newest revision whose deployment left {@code target} at {@code path}, if fleetward ever did. */
    Optional<String> revisionOfPath(TargetId target, String path);
}
