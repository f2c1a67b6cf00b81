package io.fleetward.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.ConfigMapping;

/** The web dashboard ({@code fleetward.ui.*}). */
@ConfigMapping(prefix = "fleetward.ui")
public interface UiConfig {

    /** At most this many dashboard pages receive live updates at once (one event stream per page); more get 429. */
    @WithDefault("64")
    int maxStreams();

    /** The deployment page shows a log in pages of at most this many bytes (the last page first). */
    @WithDefault("262144")
    int logPageBytes();
}
