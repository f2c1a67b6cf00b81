package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How deployments run ({@code fleetward.deploy.*}). */
@ConfigMapping(prefix = "fleetward.deploy")
public interface DeployConfig {

    /** At most this many deployments run at once (never two on one host). */
    @WithDefault("4")
    int parallelism();

    /** A deployment still running after this is killed and counted as failed. */
    @WithDefault("30m")
    Duration timeout();

    /** Plan, log and report, but run no deploy command. */
    @WithDefault("false")
    boolean dryRun();

    /** Flake reference given to commands that run on a host; {rev} is the desired revision. */
    Optional<String> flakeRef();

    /** On shutdown, running deployments get this long before they are stopped and marked INTERRUPTED. */
    @WithDefault("2m")
    Duration shutdownGrace();

    /** Where system deploys run: {@code local} (the controller) or a deployer host {@code ssh://[user@]host[:port]}. */
    @WithDefault("local")
    String systemRunner();

    /** Lines of each deployment log kept in the database (the whole log stays on disk). */
    @WithDefault("200")
    int logTailLines();

    /** All health checks of one deployment together must end within this; past it the gate failed. */
    @WithDefault("2m")
    Duration healthTimeout();

    /** The dead man's switch rolls a host back this long after its system changed, unless disarmed. */
    @WithDefault("3m")
    Duration confirmTimeout();

    /** Retries of failed deployments ({@code fleetward.deploy.retry.*}). */
    Retry retry();

    /** The backoff of one target at one desired revision. */
    interface Retry {
        /** Delay before the first retry of a failed deployment. */
        @WithDefault("5s")
        Duration initial();

        /** Each further retry waits this many times longer. */
        @WithDefault("2")
        double multiplier();

        /** Upper bound of the retry delay. */
        @WithDefault("5m")
        Duration max();

        /** Attempts per desired revision; then the target stays FAILED until the revision moves. */
        @WithDefault("5")
        int maxAttempts();
    }
}
