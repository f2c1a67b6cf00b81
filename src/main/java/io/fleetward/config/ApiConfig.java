package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Who may call the REST API ({@code fleetward.api.*}). */
@ConfigMapping(prefix = "fleetward.api")
public interface ApiConfig {

    /** SHA-256 (hex) of the bearer tokens allowed to call mutating endpoints. */
    Optional<List<String>> tokenHashes();

    /** File with more token hashes, one SHA-256 (hex) per line; '#' starts a comment. */
    Optional<Path> tokenHashesFile();

    /** Whether read endpoints need a token too. */
    @WithDefault("false")
    boolean readRequiresToken();

    /** At most this many clients follow deployment logs at once ({@code GET .../log}); more get 429. */
    @WithDefault("32")
    int maxLogFollowers();
}
