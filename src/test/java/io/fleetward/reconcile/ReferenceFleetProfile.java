package io.fleetward.reconcile;

import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A fleetward instance on a fresh {@link SimulatedFleet} of the eight reference hosts. */
public class ReferenceFleetProfile implements QuarkusTestProfile {
    static final SimulatedFleet FLEET = SimulatedFleet.create();

    @Override
    public Map<String, String> getConfigOverrides() {
        return FLEET.config();
    }
}
