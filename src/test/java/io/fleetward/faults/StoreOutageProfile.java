package io.fleetward.faults;

import io.fleetward.FleetProfile;
import io.fleetward.SimulatedFleet;
import io.fleetward.store.DatabaseLocation;
import io.fleetward.store.PostgresServer;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** The reference fleet on a PostgreSQL server of its own, which the test stops and starts. */
public class StoreOutageProfile implements QuarkusTestProfile {
    static final String TOKEN = FleetProfile.randomToken();
    static final SimulatedFleet FLEET = SimulatedFleet.create();
    static final PostgresServer SERVER = PostgresServer.dedicated();
    private static final DatabaseLocation DATABASE = SERVER.createDatabase();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(FLEET.config());
        config.put("fleetward.store.url", DATABASE.url());
        DATABASE.user().ifPresent(user -> config.put("fleetward.store.username", user));
        DATABASE.password().ifPresent(password -> config.put("fleetward.store.password", password));
        config.put("fleetward.api.token-hashes", FleetProfile.sha256Hex(TOKEN));
        return config;
    }
}
