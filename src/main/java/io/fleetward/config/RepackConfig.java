package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Background repacks of the clone {@code source.git} ({@code fleetward.source.repack.*}). */
@ConfigMapping(prefix = "fleetward.source.repack")
public interface RepackConfig {

    /** Repack at least this often (when there is more than one pack). */
    @WithDefault("24h")
    Duration interval();

    /** Repack as soon as the clone holds this many packs (each fetch that brings objects adds one). */
    @WithDefault("50")
    int packs();
}
