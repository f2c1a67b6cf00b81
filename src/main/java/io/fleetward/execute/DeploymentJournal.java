package io.fleetward.execute;

import io.fleetward.fleet.TargetId;
import java.time.Instant;

/** Where the deployer records each deployment: its start, its log file and how it ended. */
public interface DeploymentJournal {

    /** Records a deployment that starts now, as {@link DeploymentOutcome#RUNNING}, and returns its id. */
    long begin(TargetId target, String revision, String trigger, Instant startedAt, String logFile);

    /** Sets the log file of deployment {@code id}, for callers that name the file after the id. */
    void attachLog(long id, String logFile);

    /**
     * Records the process group that deployment {@code id}'s command leads on the controller, once it
     * started, so that the next start of fleetward can end it if fleetward died while it ran.
     */
    void attachProcessGroup(long id, long processGroup);

    /**
     * Records how deployment {@code id} ended.
     *
     * @throws IllegalArgumentException if {@code outcome} is {@link DeploymentOutcome#RUNNING}
     */
    void finish(long id, DeploymentOutcome outcome, Integer exitCode, String reason, String logTail, Instant endedAt);
}
