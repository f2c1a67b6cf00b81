package io.fleetward.reconcile;

import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.Ledger;
import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.evaluate.InventoryReader;
import io.fleetward.source.GitSource;
import java.time.Clock;

/** What the loop works with: the source, how it reads, probes, resolves and deploys, and where it keeps state. */
public record LoopParts(GitSource source, InventoryReader inventory, MachineProbe prober, DriftResolver resolver,
                        DesiredPaths desiredPaths, DeploymentRunner deployer, UnfinishedDeployments deployments,
                        Ledger ledger, SavedStatuses statuses, PauseSwitch pause, LoopMetrics metrics,
                        Clock clock) {
}
