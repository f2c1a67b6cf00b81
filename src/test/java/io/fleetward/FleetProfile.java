package io.fleetward;

import io.fleetward.notify.RecordingServer;
import io.fleetward.webhook.VirtualScheduler;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one fleetward instance the API and webhook scenarios share (Quarkus boots it once for all of
 * them): the reference fleet with two API tokens, check-in tokens for galena (NixOS) and argentum
 * (darwin, with the standalone user christophersmith), GitHub (secret in the config) and Gitea
 * (secret in a file) webhooks with GitLab disabled, coalesce windows on virtual time, and a signed
 * webhook notifier ({@code ops}) posting deployments to {@link #NOTIFY_RECEIVER}. Tokens
 * are random per run, so a token seen in a log or a response can only have come from this run.
 * Every scenario starts from a converged fleet and leaves one behind.
 */
public class FleetProfile implements QuarkusTestProfile {
    public static final String TOKEN = randomToken();
    public static final String SECOND_TOKEN = randomToken();
    public static final String GALENA_TOKEN = randomToken();
    public static final String ARGENTUM_TOKEN = randomToken();
    public static final List<String> ALL_TOKENS = List.of(TOKEN, SECOND_TOKEN, GALENA_TOKEN, ARGENTUM_TOKEN);
    public static final String GITHUB_SECRET = "github-webhook-test-secret";
    public static final String GITEA_SECRET = "gitea-webhook-test-secret";
    public static final Duration WINDOW = Duration.ofSeconds(10);
    public static final SimulatedFleet FLEET = withReportTokens(SimulatedFleet.create());
    /** Records what the {@code ops} notifier posts (lives as long as the test JVM). */
    public static final RecordingServer NOTIFY_RECEIVER = new RecordingServer();
    public static final String NOTIFY_SECRET = randomToken();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(FLEET.config());
        config.put("fleetward.api.token-hashes", sha256Hex(TOKEN) + "," + sha256Hex(SECOND_TOKEN));
        config.put("fleetward.webhook.repository", "example/fleet");
        // Scheduled probes of the eight stand-in hosts: each every 16 s (one every 2 s).
        config.put("fleetward.probe.interval", "16s");
        // The simulated machines have no Nix store: a rollback is the stand-in's (as in the OpenSSH fleet).
        config.put("fleetward.commands.rollback-system.nixos", "fleetward-sim-activate --rollback {previous}");
        config.put("fleetward.commands.rollback-system.darwin", "fleetward-sim-activate --rollback {previous}");
        config.put("fleetward.webhook.github.secret", GITHUB_SECRET);
        config.put("fleetward.webhook.gitea.secret-file", giteaSecretFile().toString());
        config.put("fleetward.webhook.coalesce-window", WINDOW.toSeconds() + "s");
        config.put("fleetward.notify.ops.type", "webhook");
        config.put("fleetward.notify.ops.url", NOTIFY_RECEIVER.uri("/fleetward").toString());
        config.put("fleetward.notify.ops.secret", NOTIFY_SECRET);
        config.put("fleetward.notify.ops.events", "deployment-started,deployment-succeeded,deployment-failed");
        return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(VirtualScheduler.class);
    }

    /** Adds {@code report-token-sha256:} to galena's and argentum's overlay entries. */
    private static SimulatedFleet withReportTokens(SimulatedFleet fleet) {
        try {
            String overlay = Files.readString(fleet.root().resolve("repo/fleetward.yaml"));
            overlay = overlay.replace("  galena:\n", "  galena:\n    report-token-sha256: "
                    + sha256Hex(GALENA_TOKEN) + "\n");
            overlay = overlay.replace("  argentum:\n", "  argentum:\n    report-token-sha256: "
                    + sha256Hex(ARGENTUM_TOKEN) + "\n");
            fleet.commit("fleetward.yaml", overlay, "check-in tokens for galena and argentum");
            return fleet;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path giteaSecretFile() {
        try {
            return Files.writeString(FLEET.root().resolve("gitea.secret"), GITEA_SECRET + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The hex SHA-256 of a token, as the configuration holds it. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(Secrets.sha256(token));
    }
}
