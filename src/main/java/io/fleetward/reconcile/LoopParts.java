package io.fleetward.reconcile;

import io.fleetward.drift.DriftResolver;
import io.fleetward.drift.Ledger;
import io.fleetward.evaluate.DesiredPaths;
import io.fleetward.evaluate.InventoryReader;
import io.fleetward.execute.LedgerWriter;
import io.fleetward.source.GitSource;
import java.time.Clock;

/**
 * What the loop works with: the source, how it reads, probes, evaluates, resolves and deploys,
 * where it keeps state, and how it ends a deploy command that the last process left running.
 *
 * @param ledgerWriter exact mode: where a target found running its evaluated path is recorded as at
 *                     that revision (see {@link EvaluateDesired})
 * @param evaluations  exact mode: evaluated paths kept across restarts
 * @param trust        what a fetched revision must pass to become the desired one (signatures, anti-rollback)
 * @param notifications where the loop tells people what happened (never blocks)
 */
public record LoopParts(GitSource source, InventoryReader inventory, MachineProbe prober, DriftResolver resolver,
                        DesiredPaths desiredPaths, DeploymentRunner deployer, UnfinishedDeployments deployments,
                        LeftoverCommands leftovers, Ledger ledger, LedgerWriter ledgerWriter,
                        SavedEvaluations evaluations, SavedStatuses statuses, PauseSwitch pause,
                        LoopMetrics metrics, Clock clock, SourceTrust trust, Notifications notifications) {

    /**
     * Parts without signature checks, refusing force-pushes, keeping the revision deployed from in
     * memory, and telling no one ({@link Notifications#NONE}).
     */
    public LoopParts(GitSource source, InventoryReader inventory, MachineProbe prober, DriftResolver resolver,
                     DesiredPaths desiredPaths, DeploymentRunner deployer, UnfinishedDeployments deployments,
                     LeftoverCommands leftovers, Ledger ledger, LedgerWriter ledgerWriter,
                     SavedEvaluations evaluations, SavedStatuses statuses, PauseSwitch pause,
                     LoopMetrics metrics, Clock clock) {
        this(source, inventory, prober, resolver, desiredPaths, deployer, deployments, leftovers, ledger, ledgerWriter,
                evaluations, statuses, pause, metrics, clock, SourceTrust.unsigned(source, clock), Notifications.NONE);
    }
}
