package io.fleetward.reconcile;

import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.Ledger;
import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.evaluate.InventoryReader;
import io.fleetward.source.GitSource;
import java.time.Clock;

/**
 * What the loop works with: the source, how it reads, probes, resolves and deploys, where it keeps
 * state, and how it ends a deploy command that the last process left running.
 */
public record LoopParts(GitSource source, InventoryReader inventory, MachineProbe prober, DriftResolver resolver,
                        DesiredPaths desiredPaths, DeploymentRunner deployer, UnfinishedDeployments deployments,
                        LeftoverCommands leftovers, Ledger ledger, SavedStatuses statuses, PauseSwitch pause,
                        LoopMetrics metrics, Clock clock) {
}
