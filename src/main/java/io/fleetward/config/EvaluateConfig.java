package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How exact mode evaluates desired paths ({@code fleetward.evaluate.*}; the commands are {@code fleetward.commands.evaluate-*}). */
@ConfigMapping(prefix = "fleetward.evaluate")
public interface EvaluateConfig {

    /** At most this many evaluate commands run at once, on the controller, off the reconcile pass. */
    @WithDefault("2")
    int parallelism();
}
