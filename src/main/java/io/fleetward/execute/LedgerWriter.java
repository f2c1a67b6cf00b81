package io.fleetward.execute;

import io.fleetward.fleet.TargetId;
import java.time.Instant;

/** Where the deployer writes the ledger: which path a deployed revision left on a target. */
@FunctionalInterface
public interface LedgerWriter {

    /** Records that deploying {@code revision} left {@code target} at {@code path}. */
    void record(TargetId target, String revision, String path, Instant at);
}
