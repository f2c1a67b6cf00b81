package io.fleetward.reconcile;

import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** The reference fleet with {@code fleetward.deploy.dry-run=true}. */
public class DryRunProfile implements QuarkusTestProfile {
    static final SimulatedFleet FLEET = SimulatedFleet.create();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(FLEET.config());
        config.put("fleetward.deploy.dry-run", "true");
        return config;
    }
}
