package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** The root key {@code fleetward.data-dir}; every other key belongs to a feature's mapping. */
@ConfigMapping(prefix = "fleetward")
public interface DataDirConfig {

    /** Where the clone, checkouts, deployment logs and the embedded database live. */
    @WithDefault("data")
    Path dataDir();
}
