package io.fleetward.reconcile;

import io.fleetward.SimulatedFleet;
import io.fleetward.fleet.TargetId;
import io.fleetward.store.Database;
import io.fleetward.store.DeploymentStore;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A fleet whose previous fleetward process died in the middle of deploying galena: its database
 * holds a RUNNING deployment when the new process starts.
 */
public class RestartProfile implements QuarkusTestProfile {
    static final SimulatedFleet FLEET = SimulatedFleet.create();
    static final long CRASHED_DEPLOYMENT;

    static {
        try (Database db = new Database(Database.defaultUrl(FLEET.data()), Optional.empty(), Optional.empty(), 2)) {
            CRASHED_DEPLOYMENT = new DeploymentStore(db).begin(TargetId.system("galena"),
                    "0123456789abcdef0123456789abcdef01234567", "timer", Instant.now(), null);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(FLEET.config());
        config.put("fleetward.deploy.shutdown-grace", "1s");
        return config;
    }
}
