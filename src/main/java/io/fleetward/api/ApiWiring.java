package io.fleetward.api;

import io.fleetward.config.ApiConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/** Builds the API's authentication from the configuration, at start-up so a malformed hash stops the daemon. */
public class ApiWiring {
    private static final Logger LOG = Logger.getLogger(ApiWiring.class);

    @Produces
    @Singleton
    @Startup
    ApiAuth apiAuth(ApiConfig api) {
        ApiTokens tokens = ApiTokens.of(api.tokenHashes().orElse(List.of()), api.tokenHashesFile());
        ApiAuth auth = new ApiAuth(tokens, api.readRequiresToken());
        if (!tokens.configured()) {
            LOG.warnf("api: %s; every mutating request is refused", ApiAuth.NO_TOKENS);
        }
        return auth;
    }
}
