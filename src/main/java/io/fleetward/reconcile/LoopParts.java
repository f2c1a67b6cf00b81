package io.fleetward.reconcile;

import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.evaluate.InventoryReader;
import io.fleetward.drift.DriftResolver;
import io.fleetward.source.GitSource;
import io.fleetward.store.DeploymentStore;
import io.fleetward.store.FleetControlStore;
import io.fleetward.store.LedgerStore;
import io.fleetward.store.StatusStore;
import java.time.Clock;

/** What the loop works with: the source, how it reads, probes, resolves and deploys, and where it keeps state. */
public record LoopParts(GitSource source, InventoryReader inventory, MachineProbe prober, DriftResolver resolver,
                        DesiredPaths desiredPaths, DeploymentRunner deployer, DeploymentStore deployments,
                        LedgerStore ledger, StatusStore statuses, FleetControlStore controls, LoopMetrics metrics,
                        Clock clock) {
}
