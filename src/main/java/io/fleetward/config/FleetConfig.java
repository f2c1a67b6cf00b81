package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The inventory ({@code fleetward.fleet.*}). */
@ConfigMapping(prefix = "fleetward.fleet")
public interface FleetConfig {

    /** Repository path of the inventory overlay. */
    @WithDefault("fleetward.yaml")
    String file();

    /** Default DNS domain: a host without target-host is reached at root@<host>.<domain> (or root@<host>). */
    Optional<String> domain();
}
