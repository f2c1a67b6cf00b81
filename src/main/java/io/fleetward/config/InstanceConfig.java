package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** This daemon's name among daemons sharing one database ({@code fleetward.instance.*}). */
@ConfigMapping(prefix = "fleetward.instance")
public interface InstanceConfig {

    /** Owner of the deployments this daemon starts. Unset: kept in {@code <data-dir>/instance-id}, created as {@code <hostname>-<8 hex>}. */
    Optional<String> id();
}
