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

    /** Every host is probed once per this interval, the hosts spread evenly over it (out-of-band changes show within it). */
    @WithDefault("5m")
    Duration interval();
}
