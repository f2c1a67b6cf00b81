package io.fleetward.webhook;

import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The reference fleet with GitHub (secret in the config) and Gitea (secret in a file) webhooks; GitLab disabled. */
public class WebhookProfile implements QuarkusTestProfile {
    static final SimulatedFleet FLEET = SimulatedFleet.create();
    static final String GITHUB_SECRET = "github-webhook-test-secret";
    static final String GITEA_SECRET = "gitea-webhook-test-secret";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(FLEET.config());
        config.put("fleetward.webhook.repository", "example/fleet");
        config.put("fleetward.webhook.github.secret", GITHUB_SECRET);
        config.put("fleetward.webhook.gitea.secret-file", secretFile().toString());
        return config;
    }

    private static Path secretFile() {
        try {
            return Files.writeString(FLEET.root().resolve("gitea.secret"), GITEA_SECRET + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
