package io.fleetward.reconcile;

/**
 * Ends a deploy command that a crash of fleetward left running on the controller. Implemented by
 * the process handling of {@code transport/}, wired in {@code Wiring}.
 */
@FunctionalInterface
public interface LeftoverCommands {

    /**
     * Ends process group {@code processGroup} if it still runs deployment {@code deployment}'s
     * command, and says what it found. A group whose processes are not that deployment's (the id was
     * reused) is left alone.
     */
    Found end(long deployment, long processGroup);

    /** What was found of the command, and what was done with it. */
    enum Found {
        /** Nothing of it ran any more. */
        ENDED_BEFORE,
        /** It was still running and ended on SIGTERM. */
        TERMINATED,
        /** It was still running, outlived the grace period after SIGTERM and was killed (SIGKILL). */
        KILLED,
        /** The group's processes are not the deployment's command: left alone. */
        NOT_OURS,
        /** It is still running: it could not be ended (or the wait for it was interrupted). */
        STILL_RUNNING
    }
}
