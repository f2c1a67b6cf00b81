package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Which changes affect no target ({@code fleetward.impact.*}). */
@ConfigMapping(prefix = "fleetward.impact")
public interface ImpactConfig {

    /** Paths (globs) that never affect any target. */
    @WithDefault("**/*.md,docs/**,.github/**")
    List<String> ignore();
}
