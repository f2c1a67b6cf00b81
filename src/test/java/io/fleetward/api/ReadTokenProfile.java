package io.fleetward.api;

import io.fleetward.FleetProfile;
import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The reference fleet with {@code fleetward.api.read-requires-token=true} and its token hash in a file. */
public class ReadTokenProfile implements QuarkusTestProfile {
    public static final String TOKEN = FleetProfile.randomToken();
    static final SimulatedFleet FLEET = SimulatedFleet.create();

    @Override
    public Map<String, String> getConfigOverrides() {
        Path hashes = FLEET.root().resolve("api-token-hashes");
        try {
            Files.writeString(hashes, "# fleetward API tokens\n\n" + FleetProfile.sha256Hex(TOKEN) + "   # test run\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>(FLEET.config());
        config.put("fleetward.api.token-hashes-file", hashes.toString());
        config.put("fleetward.api.read-requires-token", "true");
        return config;
    }
}
