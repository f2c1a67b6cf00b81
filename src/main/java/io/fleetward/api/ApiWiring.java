package io.fleetward.api;

import io.fleetward.access.ApiTokens;
import io.fleetward.access.ApiAuth;
import io.fleetward.config.ApiConfig;
import io.fleetward.config.CheckinConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Builds the API's authentication and limits from the configuration, at start-up so a malformed hash
 * or an impossible limit stops the daemon.
 */
public class ApiWiring {
    private static final Logger LOG = Logger.getLogger(ApiWiring.class);
    /** A report of a host with a few users is about 1 KiB. */
    static final int MIN_CHECKIN_BODY = 1024;
    static final int MAX_CHECKIN_BODY = 16 * 1024 * 1024;

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

    @Produces
    @Singleton
    @Startup
    LogFollowers logFollowers(ApiConfig api) {
        return new LogFollowers(api.maxLogFollowers());
    }

    void closeLogFollowers(@Disposes LogFollowers followers) {
        followers.close();
    }

    /** Stops start-up on a check-in body limit that no report fits in, or that could not be read into one array. */
    void checkCheckinLimit(@Observes StartupEvent start, CheckinConfig checkin) {
        if (checkin.maxBody() < MIN_CHECKIN_BODY || checkin.maxBody() > MAX_CHECKIN_BODY) {
            throw new IllegalArgumentException("fleetward.checkin.max-body: must be from " + MIN_CHECKIN_BODY + " to "
                    + MAX_CHECKIN_BODY + " bytes, got " + checkin.maxBody());
        }
    }
}
