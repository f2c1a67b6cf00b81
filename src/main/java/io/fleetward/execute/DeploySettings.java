package io.fleetward.execute;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param timeout       a deploy command running longer is killed
 * @param dryRun        plan, log and report, run nothing
 * @param flakeRef      flake reference for commands that run on a host, with {@code {rev}} for the revision
 * @param logDir        where full deployment logs are written
 * @param checkoutDir   where clean checkouts of desired revisions are exported (one folder per host)
 * @param logTailLines  lines of the log kept in the database
 * @param systemRunner  where system deploys run: the controller or a deployer host
 */
public record DeploySettings(Duration timeout, boolean dryRun, String flakeRef, Path logDir, Path checkoutDir,
                             int logTailLines, SystemRunner systemRunner) {
}
