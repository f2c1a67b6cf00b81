package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How machines are observed ({@code fleetward.probe.*}). */
@ConfigMapping(prefix = "fleetward.probe")
public interface ProbeConfig {

    /** Time limit of one probe command. */
    @WithDefault("20s")
    Duration timeout();

    /** At most this many probes run at once. */
    @WithDefault("16")
    int parallelism();
}
