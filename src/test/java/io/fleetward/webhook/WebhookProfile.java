package io.fleetward.webhook;

import io.fleetward.SimulatedFleet;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The reference fleet with GitHub (secret in the config) and Gitea (secret in a file) webhooks; GitLab
 * disabled. Coalesce windows run on virtual time: they end when a test advances the {@link VirtualScheduler}.
 */
public class WebhookProfile implements QuarkusTestProfile {
    static final SimulatedFleet FLEET = SimulatedFleet.create();
    static final String GITHUB_SECRET = "github-webhook-test-secret";
    static final String GITEA_SECRET = "gitea-webhook-test-secret";
    static final Duration WINDOW = Duration.ofSeconds(10);

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(FLEET.config());
        config.put("fleetward.webhook.repository", "example/fleet");
        config.put("fleetward.webhook.github.secret", GITHUB_SECRET);
        config.put("fleetward.webhook.gitea.secret-file", secretFile().toString());
        config.put("fleetward.webhook.coalesce-window", WINDOW.toSeconds() + "s");
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(VirtualScheduler.class);
    }

    private static Path secretFile() {
        try {
            return Files.writeString(FLEET.root().resolve("gitea.secret"), GITEA_SECRET + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
