package io.fleetward.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The webhook receivers ({@code fleetward.webhook.*}). */
@ConfigMapping(prefix = "fleetward.webhook")
public interface WebhookConfig {

    /** Larger request bodies are refused with 413. */
    @WithDefault("1048576")
    int maxBody();

    /** Webhook-triggered fetches are at least this far apart; pushes in between coalesce into one fetch. */
    @WithDefault("10s")
    Duration coalesceWindow();

    /** Delivery ids are remembered this long to answer redeliveries with "duplicate". */
    @WithDefault("30d")
    Duration deliveryRetention();

    /** The tracked repository as {@code owner/name}; unset: taken from the source URL's path. */
    Optional<String> repository();

    /** GitHub's receiver. */
    ProviderSecret github();

    /** Gitea's and Forgejo's receiver. */
    ProviderSecret gitea();

    /** GitLab's receiver. */
    ProviderSecret gitlab();

    /** The receiver for any other sender (CI jobs, scripts). */
    ProviderSecret generic();

    /** The shared secret of one provider ({@code fleetward.webhook.<provider>.*}). */
    interface ProviderSecret {
        /** Shared secret; never logged. Without a secret (or secret-file) the provider's endpoint is disabled. */
        Optional<String> secret();

        /** File holding the secret (first line); wins over secret. */
        Optional<Path> secretFile();
    }
}
