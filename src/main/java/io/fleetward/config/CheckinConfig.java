package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Reports that hosts push themselves ({@code fleetward.checkin.*}). */
@ConfigMapping(prefix = "fleetward.checkin")
public interface CheckinConfig {

    /** A host's report counts as its observation for this long (push mode, for hosts the controller cannot reach). */
    @WithDefault("15m")
    Duration freshFor();

    /** Check-in bodies larger than this many bytes are refused with 413 (after the host's token is checked). */
    @WithDefault("65536")
    int maxBody();
}
