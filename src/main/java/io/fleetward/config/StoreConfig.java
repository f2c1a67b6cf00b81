package io.fleetward.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The database ({@code fleetward.store.*}). */
@ConfigMapping(prefix = "fleetward.store")
public interface StoreConfig {

    /** JDBC URL; unset uses an embedded H2 file database in the data dir. jdbc:postgresql://... for PostgreSQL. */
    Optional<String> url();

    /** Database user name. */
    Optional<String> username();

    /** Database password; never logged. */
    Optional<String> password();

    /** Connection pool size. */
    @WithDefault("8")
    int poolSize();

    /** Below this much free space in the data dir, readiness is DOWN and a warning is logged (e.g. 64M, 1G). */
    @WithDefault("64M")
    MemorySize minFreeSpace();
}
