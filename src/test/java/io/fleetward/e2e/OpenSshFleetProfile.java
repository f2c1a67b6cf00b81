package io.fleetward.e2e;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * fleetward on an {@link OpenSshFleet}: every host a real sshd, the source cloned over SSH. Where
 * the fleet cannot run (not root, no OpenSSH), the daemon starts on its demo instead so that the
 * test class can skip itself (or fail, when CI requires the fleet).
 */
public class OpenSshFleetProfile implements QuarkusTestProfile {
    static final OpenSshFleet FLEET = E2eEnvironment.ready() ? OpenSshFleet.start() : null;

    @Override
    public Map<String, String> getConfigOverrides() {
        if (FLEET != null) {
            Map<String, String> config = new HashMap<>(FLEET.config());
            // The first round opens eight sessions at once in a cold JVM on two cores: give it real-world limits.
            config.put("fleetward.ssh.connect-timeout", "10s");
            config.put("fleetward.ssh.auth-timeout", "10s");
            // Scheduled probes over real SSH: each of the eight hosts every 16 s (one every 2 s).
            config.put("fleetward.probe.interval", "16s");
            return config;
        }
        try {
            return Map.of("fleetward.data-dir", Files.createTempDirectory("fleetward-e2e-skipped").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
